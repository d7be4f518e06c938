package io.brokerlink.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.rewrite.NodePortMap;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import io.brokerlink.gateway.testkit.TestCertificates;
import io.brokerlink.gateway.testkit.TlsFiles;
import io.brokerlink.gateway.tls.ClientAuth;
import io.brokerlink.gateway.tls.KeyMaterial;
import io.brokerlink.gateway.tls.ListenerTls;
import io.brokerlink.gateway.tls.Secret;
import io.brokerlink.gateway.tls.TrustMaterial;
import io.brokerlink.gateway.tls.UpstreamTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaProxyFlagsTest {

    /** The seed's command (Google Cloud document), the broker addresses filled in, split as a shell would. */
    static final List<String> SEED = List.of("server",
            "--bootstrap-server-mapping", "10.0.0.1:9092,0.0.0.0:9092,b1.abc.us-west1.gcp.3199745.tidbcloud.com:9092",
            "--bootstrap-server-mapping", "10.0.0.2:9092,0.0.0.0:9093,b2.abc.us-west1.gcp.3199745.tidbcloud.com:9093",
            "--bootstrap-server-mapping", "10.0.0.3:9092,0.0.0.0:9094,b3.abc.us-west1.gcp.3199745.tidbcloud.com:9094",
            "--dynamic-sequential-min-port=9095",
            "--dynamic-advertised-listener=brokers.abc.us-west1.gcp.3199745.tidbcloud.com");

    @Test
    void theSeedCommandMapsB1ToB3On9092To9094AndFurtherBrokersFrom9095() {
        RewriteConfig config = KafkaProxyFlags.parse(SEED);
        NodePortMap map = new NodePortMap(config);
        assertThat(config.upstream()).extracting(Object::toString)
                .containsExactly("10.0.0.1:9092", "10.0.0.2:9092", "10.0.0.3:9092");
        assertThat(map.place(1, new HostPort("10.0.0.1", 9092), null)).isEqualTo(new NodePortMap.Placed(1,
                new HostPort("0.0.0.0", 9092), new HostPort("b1.abc.us-west1.gcp.3199745.tidbcloud.com", 9092)));
        assertThat(map.place(3, new HostPort("10.0.0.3", 9092), null)).isEqualTo(new NodePortMap.Placed(3,
                new HostPort("0.0.0.0", 9094), new HostPort("b3.abc.us-west1.gcp.3199745.tidbcloud.com", 9094)));
        assertThat(map.place(4, new HostPort("10.0.0.4", 9092), null)).isEqualTo(new NodePortMap.Placed(4,
                new HostPort("0.0.0.0", 9095), new HostPort("brokers.abc.us-west1.gcp.3199745.tidbcloud.com", 9095)));
        assertThat(map.place(5, new HostPort("10.0.0.5", 9092), null)).isEqualTo(new NodePortMap.Placed(5,
                new HostPort("0.0.0.0", 9096), new HostPort("brokers.abc.us-west1.gcp.3199745.tidbcloud.com", 9096)));
    }

    @Test
    void theSeedCommandWorksWithoutTheServerSubcommandToo() {
        assertThat(KafkaProxyFlags.parse(SEED.subList(1, SEED.size()))).isEqualTo(KafkaProxyFlags.parse(SEED));
        assertThat(KafkaProxyFlags.looksLikeKafkaProxy(SEED)).isTrue();
        assertThat(KafkaProxyFlags.looksLikeKafkaProxy(List.of("--config", "g.yaml"))).isFalse();
    }

    @Test
    void portsDoNotDependOnDiscoveryOrder() {
        NodePortMap a = new NodePortMap(KafkaProxyFlags.parse(SEED));
        NodePortMap b = new NodePortMap(KafkaProxyFlags.parse(SEED));
        assertThat(b.place(7, new HostPort("10.0.0.7", 9092), null)).isEqualTo(a.place(7, null, null));
        assertThat(a.place(7, null, null)).isInstanceOfSatisfying(NodePortMap.Placed.class,
                p -> assertThat(p.listen().port()).isEqualTo(9098));
    }

    @Test
    void meaningfulFlagsAreMapped() {
        List<String> args = new ArrayList<>(SEED);
        args.addAll(List.of("--deterministic-listeners", "--kafka-dial-timeout=5s", "--http-listen-address",
                "127.0.0.1:9080", "--default-listener-ip=127.0.0.9", "--kafka-max-request-bytes=2048"));
        RewriteConfig config = KafkaProxyFlags.parse(args);
        assertThat(config.connectTimeout().toSeconds()).isEqualTo(5);
        assertThat(config.common().limits().upstreamConnectTimeout().toSeconds()).isEqualTo(5);
        assertThat(config.common().admin().bind()).isEqualTo(new HostPort("127.0.0.1", 9080));
        assertThat(config.listenHost()).isEqualTo("127.0.0.9");
        assertThat(config.maxFrameBytes()).isEqualTo(2048);
    }

    @Test
    void unsupportedFlagsAreRefusedNamingTheFlagAndWhy() {
        List<String> curves = new ArrayList<>(SEED);
        curves.add("--proxy-listener-curve-preferences=P256");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(curves))
                .hasMessageStartingWith("--proxy-listener-curve-preferences: not supported")
                .hasMessageContaining("-Djdk.tls.namedGroups");
        List<String> subject = new ArrayList<>(SEED);
        subject.add("--proxy-listener-tls-required-client-subject-common-name=alice");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(subject)).hasMessageStartingWith(
                "--proxy-listener-tls-required-client-subject-common-name: not supported by brokerlink gateway: client "
                        + "certificate subjects are not checked");
        List<String> same = new ArrayList<>(SEED);
        same.add("--tls-same-client-cert-enable");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(same)).hasMessageStartingWith(
                "--tls-same-client-cert-enable: not supported");
        List<String> sasl = new ArrayList<>(SEED);
        sasl.addAll(List.of("--sasl-username", "u"));
        assertThatThrownBy(() -> KafkaProxyFlags.parse(sasl)).hasMessageStartingWith("--sasl-username: not supported");
        List<String> unknown = new ArrayList<>(SEED);
        unknown.add("--bogus=1");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(unknown)).hasMessageStartingWith("--bogus: not a kafka-proxy");
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> KafkaProxyFlags.parse(List.of("server", "--bootstrap-server-mapping", "10.0.0.1:9092")))
                .hasMessageContaining("--bootstrap-server-mapping: \"10.0.0.1:9092\" is not");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(List.of("server", "--dynamic-sequential-min-port=x")))
                .hasMessageContaining("--dynamic-sequential-min-port: \"x\" is not a number");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(List.of("--dynamic-sequential-min-port=9095")))
                .hasMessageContaining("--bootstrap-server-mapping: none given");
    }

    @Nested
    class Tls {

        @TempDir
        Path dir;
        TestCertificates.Authority ca;
        TestCertificates.Issued gateway;
        TestCertificates.Issued client;

        @BeforeEach
        void certificates() {
            ca = TestCertificates.authority(dir, "flags CA");
            gateway = ca.server("gateway", List.of("gw.example.com"));
            client = ca.client("gateway-client");
        }

        List<String> seedWith(String... flags) {
            List<String> args = new ArrayList<>(SEED);
            args.addAll(List.of(flags));
            return args;
        }

        @Test
        void listenerFlagsBecomeListenerTlsAndACaChainRequiresClientCertificates() throws Exception {
            Path encrypted = TlsFiles.encryptedKey(gateway, "listener-pw", dir.resolve("enc-key.pem"));
            RewriteConfig config = KafkaProxyFlags.parse(seedWith("--proxy-listener-tls-enable",
                    "--proxy-listener-cert-file", gateway.certificatePem().toString(),
                    "--proxy-listener-key-file=" + encrypted, "--proxy-listener-key-password=listener-pw",
                    "--proxy-listener-ca-chain-cert-file", ca.certificatePem().toString(),
                    "--proxy-listener-cipher-suites", "ECDHE-ECDSA-AES128-GCM-SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
            ListenerTls tls = config.listenerTls();
            assertThat(tls.key()).isEqualTo(new KeyMaterial.Pem(gateway.certificatePem(), encrypted,
                    Secret.literal("listener-pw")));
            assertThat(tls.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
            assertThat(tls.clientTrust()).isEqualTo(new TrustMaterial.PemBundle(ca.certificatePem()));
            assertThat(tls.ciphers()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
            assertThat(config.upstreamTls()).isNull();
        }

        @Test
        void brokerFlagsBecomeUpstreamTlsAndInsecureSkipVerifyTurnsOffHostNamesOnly() {
            RewriteConfig config = KafkaProxyFlags.parse(seedWith("--tls-enable", "--tls-ca-chain-cert-file",
                    ca.certificatePem().toString(), "--tls-client-cert-file", client.certificatePem().toString(),
                    "--tls-client-key-file", client.keyPem().toString(), "--tls-insecure-skip-verify"));
            UpstreamTls tls = config.upstreamTls();
            assertThat(tls.trust()).isEqualTo(new TrustMaterial.PemBundle(ca.certificatePem()));
            assertThat(tls.hostnameVerification()).isFalse();
            assertThat(tls.clientKey()).isEqualTo(new KeyMaterial.Pem(client.certificatePem(), client.keyPem(), null));
            UpstreamTls system = KafkaProxyFlags.parse(seedWith("--tls-enable=true")).upstreamTls();
            assertThat(system.trust()).isInstanceOf(TrustMaterial.SystemCas.class);
            assertThat(system.hostnameVerification()).isTrue();
            assertThat(KafkaProxyFlags.parse(seedWith("--tls-enable=false")).upstreamTls()).isNull();
        }

        @Test
        void tlsFlagErrorsNameTheFlag() {
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--proxy-listener-tls-enable",
                    "--proxy-listener-cert-file", gateway.certificatePem().toString())))
                    .hasMessage("--proxy-listener-key-file: missing; --proxy-listener-tls-enable needs "
                            + "--proxy-listener-cert-file and --proxy-listener-key-file (PEM)");
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--proxy-listener-cert-file",
                    gateway.certificatePem().toString())))
                    .hasMessage("--proxy-listener-cert-file: given without --proxy-listener-tls-enable, so kafka-proxy "
                            + "would ignore it; add --proxy-listener-tls-enable or remove it");
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--tls-insecure-skip-verify")))
                    .hasMessageStartingWith("--tls-insecure-skip-verify: given without --tls-enable");
            Path missing = dir.resolve("missing.pem");
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--proxy-listener-tls-enable",
                    "--proxy-listener-cert-file", missing.toString(), "--proxy-listener-key-file",
                    gateway.keyPem().toString())))
                    .hasMessage("--proxy-listener-cert-file: " + missing + ": no such file");
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--proxy-listener-tls-enable",
                    "--proxy-listener-cert-file", gateway.certificatePem().toString(), "--proxy-listener-key-file",
                    gateway.keyPem().toString(), "--proxy-listener-cipher-suites=ECDHE-RSA-AES128-GCM-SHA256,NOPE")))
                    .hasMessageStartingWith("--proxy-listener-cipher-suites: \"NOPE\" is not a cipher suite");
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--tls-enable", "--tls-client-cert-file",
                    client.certificatePem().toString())))
                    .hasMessage("--tls-client-key-file: missing; a client certificate needs both "
                            + "--tls-client-cert-file and --tls-client-key-file");
            assertThatThrownBy(() -> KafkaProxyFlags.parse(seedWith("--tls-enable=maybe")))
                    .hasMessage("--tls-enable: \"maybe\" is not true or false");
        }
    }
}
