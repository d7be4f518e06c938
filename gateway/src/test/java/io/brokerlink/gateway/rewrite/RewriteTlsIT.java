package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.GatewayException;
import io.brokerlink.gateway.testkit.ClientMetrics;
import io.brokerlink.gateway.testkit.ClientSettings;
import io.brokerlink.gateway.testkit.Eventually;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestCertificates;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.gateway.testkit.TlsFiles;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rewrite mode with TLS on both legs in front of a real 3-node cluster whose only client listener (EXTERNAL) is SSL
 * and requires client certificates. Brokers advertise {@code bN.up.tls.brokerlink.test} names (their certificate:
 * {@code *.up.tls.brokerlink.test}); the gateway trusts the broker CA, verifies those names and presents its own client
 * certificate (an encrypted PKCS#8 key whose password comes from a file). Clients trust a second CA, the gateway's,
 * and verify the advertised names ({@code bN.usw2-azN.tls.brokerlink.test}, one wildcard per AZ) as Kafka does by
 * default. Each variant (keystores, mTLS, protocols, reload, host-name checks, plaintext on either side) is its own
 * small gateway on its own address in 127.0.90.x, all in front of the one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewriteTlsIT {

    static final List<String> NODES = List.of("127.0.90.1", "127.0.90.2", "127.0.90.3");
    static final String UPSTREAM_DOMAIN = ".up.tls.brokerlink.test";
    static final String DOMAIN = ".tls.brokerlink.test";
    static final String WRONG_NAME = "wrongname.other.test";
    static final String UPSTREAM_KEY_PASSWORD = "upstream-key-pw-31c9";
    static final String GATEWAY_STORE_PASSWORD = "gateway-store-pw-8e2d";

    LogCapture logs;
    SandboxCluster cluster;
    int clusterPort;
    Path dir;
    TestCertificates.Authority brokerCa;
    TestCertificates.Authority gatewayCa;
    TestCertificates.Issued gatewayCert;
    TestCertificates.Issued alice;
    String upstreamTls;
    final List<RewriteGateway> gateways = new ArrayList<>();

    /** One running gateway of this test: its address, first port and bootstrap. */
    record Started(RewriteGateway gateway, String address, int base, String bootstrap) {}

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        dir = Files.createTempDirectory("rewrite-tls");
        brokerCa = TestCertificates.authority(dir.resolve("broker-ca"), "BrokerLink test broker CA");
        TestCertificates.Issued brokerCert = brokerCa.server("broker", List.of("*" + UPSTREAM_DOMAIN));
        TestCertificates.Issued upstreamClient = brokerCa.client("gateway-upstream");
        Path upstreamKey = TlsFiles.encryptedKey(upstreamClient, UPSTREAM_KEY_PASSWORD,
                dir.resolve("gateway-upstream-key.pem"));
        Path keyPasswordFile = Files.writeString(dir.resolve("upstream-key-password"), UPSTREAM_KEY_PASSWORD + "\n");
        gatewayCa = TestCertificates.authority(dir.resolve("gateway-ca"), "BrokerLink test gateway CA");
        gatewayCert = gatewayCa.server("gateway", gatewayNames());
        alice = gatewayCa.client("alice");
        upstreamTls = """
                upstream-tls:
                  ca: %s
                  cert: %s
                  key: %s
                  key-password: file:%s
                """.formatted(brokerCa.certificatePem(), upstreamClient.certificatePem(), upstreamKey, keyPasswordFile);

        clusterPort = FreePorts.consecutiveOnAll(NODES, 3); // INTERNAL, CONTROLLER, EXTERNAL
        SandboxCluster.Builder builder = SandboxCluster.builder().firstAddress(NODES.get(0))
                .internalPort(clusterPort).controllerPort(clusterPort + 1).externalPort(clusterPort + 2)
                .listenerSecurity("EXTERNAL", "SSL");
        SecureListeners.tls(builder, "EXTERNAL", brokerCert, brokerCa, true);
        for (int n = 1; n <= 3; n++) {
            String address = NODES.get(n - 1);
            builder.nodeProperty(n, "advertised.listeners", "INTERNAL://" + address + ":" + clusterPort
                    + ",EXTERNAL://" + upstreamName(n) + ":" + (clusterPort + 2));
            TestHosts.map(address, upstreamName(n));
        }
        TestHosts.map(NODES.get(0), WRONG_NAME);
        cluster = builder.start();
    }

    @AfterAll
    void stop() throws Exception {
        List<AutoCloseable> started = new ArrayList<>(gateways);
        started.addAll(Arrays.asList(cluster, logs));
        Teardown.closeAll(started);
    }

    static String upstreamName(int node) {
        return "b" + node + UPSTREAM_DOMAIN;
    }

    static String advertisedName(int node) {
        return "b" + node + ".usw2-az" + node + DOMAIN;
    }

    /** One wildcard per AZ for the pattern's names, bootstrap, and {@code *.tls...} for the fixed-host variants. */
    static List<String> gatewayNames() {
        List<String> names = new ArrayList<>(TestCertificates.brokerNames(DOMAIN, SandboxCluster.Builder.REFERENCE_ZONES));
        names.add("*" + DOMAIN);
        return names;
    }

    String pemListener(TestCertificates.Issued cert) {
        return """
                listener-tls:
                  cert: %s
                  key: %s
                """.formatted(cert.certificatePem(), cert.keyPem());
    }

    Started gateway(String address, String name, String tls) {
        return gateway(address, name, FreePorts.consecutive(address, 3), tls);
    }

    /**
     * Starts a gateway on {@code address} for nodes 1-3 on {@code base..base+2}. {@code name} null: the reference
     * pattern (names per broker and AZ); else every broker under {@code name}.
     */
    Started gateway(String address, String name, int base, String tls) {
        String advertised;
        String bootstrap;
        if (name == null) {
            advertised = "advertised: {pattern: \"<broker_id>.<az_id>" + DOMAIN + ":<port>\"}";
            TestHosts.map(address, "bootstrap" + DOMAIN, advertisedName(1), advertisedName(2), advertisedName(3));
            bootstrap = "bootstrap" + DOMAIN + ":" + base;
        } else {
            advertised = "advertised: {fixed-host: " + name + "}";
            TestHosts.map(address, name);
            bootstrap = name + ":" + base;
        }
        String yaml = """
                mode: rewrite
                bootstrap-servers: [%s]
                listen-host: %s
                drain-timeout-ms: 500
                connect-timeout-ms: 5000
                dynamic: {first-node-id: 1, listen-base-port: %d, count: 3}
                %s
                """.formatted(upstreamBootstrap(), address, base, advertised) + tls;
        RewriteGateway gw = RewriteGateway.start((RewriteConfig) GatewayConfigLoader.load("gateway.yaml", yaml),
                new SimpleMeterRegistry());
        gateways.add(gw);
        return new Started(gw, address, base, bootstrap);
    }

    String upstreamBootstrap() {
        return "b1" + UPSTREAM_DOMAIN + ":" + (clusterPort + 2) + ", b2" + UPSTREAM_DOMAIN + ":" + (clusterPort + 2);
    }

    Map<String, Object> client(String bootstrap, Optional<TestCertificates.Issued> certificate) {
        return ClientSettings.of(bootstrap, SecureListeners.tlsClient(gatewayCa, certificate));
    }

    @Test
    @Order(1)
    void adminProducerAndConsumerWorkThroughBothTlsLegsAndSeeOnlyAdvertisedNames() throws Exception {
        Started g = gateway("127.0.90.10", null, pemListener(gatewayCert) + upstreamTls);
        Map<String, Object> props = client(g.bootstrap(), Optional.empty());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic("tls-orders", 6, (short) 3))).all().get(30, TimeUnit.SECONDS);
            Map<Integer, String> seen = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toMap(Node::id, n -> n.host() + ":" + n.port()));
            assertThat(seen).isEqualTo(Map.of(1, advertisedName(1) + ":" + g.base(),
                    2, advertisedName(2) + ":" + (g.base() + 1), 3, advertisedName(3) + ":" + (g.base() + 2)));
        }
        List<String> sent = new ArrayList<>();
        Map<String, Object> producerProps = new HashMap<>(props);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 60; i++) {
                sent.add("tls-" + i);
                producer.send(new ProducerRecord<>("tls-orders", Integer.toString(i), "tls-" + i));
            }
            producer.flush();
            assertThat(producer.partitionsFor("tls-orders")).extracting(p -> p.leader().host())
                    .allMatch(h -> h.endsWith(".usw2-az1" + DOMAIN) || h.endsWith(".usw2-az2" + DOMAIN)
                            || h.endsWith(".usw2-az3" + DOMAIN));
        }
        assertThat(Records.consume(props, "g-tls", "tls-orders", sent.size(), Duration.ofSeconds(45)))
                .containsExactlyInAnyOrderElementsOf(sent);
        assertThat(logs.linesContaining("listener-tls: certificate subject CN=" + gatewayNames().get(0))).isNotEmpty();
        assertThat(logs.linesContaining("upstream-tls: trust CA bundle " + brokerCa.certificatePem()
                + "; hostname verification on; client certificate subject CN=gateway-upstream")).isNotEmpty();
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @CsvSource({"PKCS12, gateway.p12, 127.0.90.11", "JKS, gateway.jks, 127.0.90.12"})
    void aKeystoreServesTheListenerCertificate(String type, String file, String address) throws Exception {
        Path store = TlsFiles.keystore(gatewayCert, type, GATEWAY_STORE_PASSWORD, dir.resolve(file));
        Path password = Files.writeString(dir.resolve(file + ".password"), GATEWAY_STORE_PASSWORD);
        Started g = gateway(address, type.toLowerCase() + DOMAIN, """
                listener-tls:
                  keystore: %s
                  keystore-password: file:%s
                """.formatted(store, password) + upstreamTls);
        assertThat(peerCertificate(g.address(), g.base()).getSerialNumber())
                .isEqualTo(gatewayCert.certificate().getSerialNumber());
        assertThat(produceAndReadBack(client(g.bootstrap(), Optional.empty()), "keystore-" + type.toLowerCase()))
                .isEqualTo("via " + g.bootstrap());
    }

    @Test
    @Order(3)
    void requiredClientCertificatesRefuseAClientWithoutOneAndAdmitOneWithIt() throws Exception {
        Started g = gateway("127.0.90.13", "mtls" + DOMAIN, pemListener(gatewayCert) + """
                  client-auth: required
                  client-ca: %s
                """.formatted(gatewayCa.certificatePem()) + upstreamTls);
        try (Admin admin = Admin.create(client(g.bootstrap(), Optional.empty()))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
        await(() -> !logs.linesContaining("on listener rewrite/b1 failed").isEmpty(), "the handshake WARN");
        assertThat(logs.linesContaining("on listener rewrite/b1 failed")).first().asString()
                .startsWith("WARN ").contains("TLS handshake with client /127.0.0.1:")
                .contains("(client-auth is required and the client sent no certificate: give it ssl.keystore.*)");
        assertThat(produceAndReadBack(client(g.bootstrap(), Optional.of(alice)), "mtls")).isEqualTo("via " + g.bootstrap());
    }

    @Test
    @Order(4)
    void aListenerLimitedToTls13RefusesATls12Client() throws Exception {
        Started g = gateway("127.0.90.14", "tls13" + DOMAIN, pemListener(gatewayCert) + """
                  protocols: [TLSv1.3]
                """ + upstreamTls);
        Map<String, Object> old = client(g.bootstrap(), Optional.empty());
        old.put(SslConfigs.SSL_PROTOCOL_CONFIG, "TLSv1.2");
        old.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, "TLSv1.2");
        try (Admin admin = Admin.create(old)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
        await(() -> !logs.linesContaining("no TLS version in common").isEmpty(), "the protocol WARN");
        assertThat(logs.linesContaining("no TLS version in common")).first().asString()
                .contains("TLS handshake with client /127.0.0.1:").contains("TLSv1.2");
        try (Admin admin = Admin.create(client(g.bootstrap(), Optional.empty()))) {
            assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(3);
        }
    }

    @Test
    @Order(5)
    void replacedCertificateFilesReachNewConnectionsAndABrokenReplacementKeepsTheOldOne() throws Exception {
        Path certDir = Files.createDirectories(dir.resolve("reload"));
        Path cert = Files.copy(gatewayCert.certificatePem(), certDir.resolve("gateway.pem"));
        Path key = Files.copy(gatewayCert.keyPem(), certDir.resolve("gateway-key.pem"));
        Started g = gateway("127.0.90.15", "reload" + DOMAIN, """
                listener-tls:
                  cert: %s
                  key: %s
                  reload-check-ms: 200
                """.formatted(cert, key) + upstreamTls);
        assertThat(peerCertificate(g.address(), g.base()).getSerialNumber())
                .isEqualTo(gatewayCert.certificate().getSerialNumber());
        Map<String, Object> props = client(g.bootstrap(), Optional.empty());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic("reload", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("reload", "before")).get(20, TimeUnit.SECONDS);
            double connections = ClientMetrics.total(producer.metrics(), "connection-creation-total");

            TestCertificates.Issued next = gatewayCa.server("gateway-next", gatewayNames());
            TlsFiles.replace(cert, Files.readAllBytes(next.certificatePem()));
            TlsFiles.replace(key, Files.readAllBytes(next.keyPem()));
            BigInteger nextSerial = next.certificate().getSerialNumber();
            await(() -> nextSerial.equals(serialOrNull(g)), "the new certificate on a new connection");
            assertThat(logs.linesContaining("listener-tls: reloaded from")).last().asString().startsWith("INFO ")
                    .contains("serial " + nextSerial.toString(16)).contains("notAfter ")
                    .contains("subject CN=" + gatewayNames().get(0));
            assertThat(producer.send(new ProducerRecord<>("reload", "after")).get(20, TimeUnit.SECONDS).offset())
                    .isEqualTo(1);

            TlsFiles.replace(cert, "-----BEGIN CERTIFICATE-----\nbroken\n".getBytes(StandardCharsets.US_ASCII));
            String warn = "listener-tls: cannot reload: listener-tls.cert: " + cert + ": contains no PEM certificate";
            await(() -> !logs.linesContaining(warn).isEmpty(), "the WARN about the broken file");
            assertThat(logs.linesContaining(warn)).hasSize(1).first().asString().startsWith("WARN ")
                    .contains("still serving the old certificate subject CN=").contains(nextSerial.toString(16));
            assertThat(peerCertificate(g.address(), g.base()).getSerialNumber()).isEqualTo(nextSerial);
            assertThat(producer.send(new ProducerRecord<>("reload", "still")).get(20, TimeUnit.SECONDS).offset())
                    .isEqualTo(2);
            // The producer's connections were never replaced: reloading leaves open connections alone.
            assertThat(ClientMetrics.total(producer.metrics(), "connection-creation-total")).isEqualTo(connections);
        }
    }

    @Test
    @Order(6)
    void brokerCertificatesThatDoNotNameTheDialledHostOrAPlaintextBrokerAreReportedInOneLine() throws Exception {
        String mappings = """
                brokers:
                  - {upstream: "%s:%d", listen: ${m1}, advertised: "names%s:${m1}"}
                  - {upstream: "%s:%d", listen: ${m2}, advertised: "names%s:${m2}"}
                """.formatted(WRONG_NAME, clusterPort + 2, DOMAIN, upstreamName(1), clusterPort, DOMAIN);
        int base = FreePorts.consecutive("127.0.90.16", 5);
        int m1 = base + 3;
        int m2 = base + 4;
        gateway("127.0.90.16", "names" + DOMAIN, base, pemListener(gatewayCert) + upstreamTls + mappings
                .replace("${m1}", Integer.toString(m1)).replace("${m2}", Integer.toString(m2)));

        assertThat(closedByGateway("127.0.90.16", m1)).isTrue();
        String mismatch = "client /127.0.0.1:";
        String expected = "on mapping-" + m1 + ": broker at " + WRONG_NAME + ":" + (clusterPort + 2)
                + " presented a certificate that does not name " + WRONG_NAME + " (No subject alternative DNS name "
                + "matching " + WRONG_NAME + " found.): add " + WRONG_NAME + " to the broker certificate's subject "
                + "alternative names, dial a name it has, or set upstream-tls.hostname-verification: false";
        await(() -> !logs.linesContaining(expected).isEmpty(), "the hostname WARN");
        assertThat(logs.linesContaining(expected)).first().asString().startsWith("WARN ").contains(mismatch);

        assertThat(closedByGateway("127.0.90.16", m2)).isTrue();
        String plaintext = "on mapping-" + m2 + ": broker at " + upstreamName(1) + ":" + clusterPort
                + " did not answer TLS: its listener is probably PLAINTEXT";
        await(() -> !logs.linesContaining(plaintext).isEmpty(), "the plaintext-broker WARN");
        assertThat(logs.linesContaining(plaintext)).first().asString().startsWith("WARN ");
    }

    @Test
    @Order(7)
    void withHostnameVerificationOffTheMismatchedNameWorksAndTheStartWarns() throws Exception {
        int base = FreePorts.consecutive("127.0.90.17", 4);
        String tls = pemListener(gatewayCert) + upstreamTls + "  hostname-verification: false\n" + """
                brokers:
                  - {upstream: "%s:%d", listen: %d, advertised: "loose%s:%d"}
                """.formatted(WRONG_NAME, clusterPort + 2, base + 3, DOMAIN, base + 3);
        gateway("127.0.90.17", "loose" + DOMAIN, base, tls);
        assertThat(logs.linesContaining("upstream-tls.hostname-verification is false")).first().asString()
                .startsWith("WARN ");
        try (Admin admin = Admin.create(client("loose" + DOMAIN + ":" + (base + 3), Optional.empty()))) {
            assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(3);
        }
    }

    @Test
    @Order(8)
    void aPlaintextOrMisnamedBootstrapFailsTheStartWithTheReason() {
        int base = FreePorts.consecutive("127.0.90.18", 3);
        String plaintext = """
                mode: rewrite
                bootstrap-servers: [%s:%d]
                listen-host: 127.0.90.18
                connect-timeout-ms: 1000
                dynamic: {first-node-id: 1, listen-base-port: %d, count: 3}
                advertised: {fixed-host: start%s}
                """.formatted(upstreamName(1), clusterPort, base, DOMAIN) + upstreamTls;
        assertThatThrownBy(() -> RewriteGateway.start((RewriteConfig) GatewayConfigLoader.load("g.yaml", plaintext),
                new SimpleMeterRegistry())).isInstanceOf(GatewayException.class)
                .hasMessage("rewrite.upstream: cannot fetch metadata from [" + upstreamName(1) + ":" + clusterPort
                        + "]: broker at " + upstreamName(1) + ":" + clusterPort + " did not answer TLS: its listener "
                        + "is probably PLAINTEXT");
        String misnamed = plaintext.replace(upstreamName(1) + ":" + clusterPort, WRONG_NAME + ":" + (clusterPort + 2));
        assertThatThrownBy(() -> RewriteGateway.start((RewriteConfig) GatewayConfigLoader.load("g.yaml", misnamed),
                new SimpleMeterRegistry())).isInstanceOf(GatewayException.class)
                .hasMessageContaining("broker at " + WRONG_NAME + ":" + (clusterPort + 2) + " presented a certificate "
                        + "that does not name " + WRONG_NAME);
    }

    @Test
    @Order(9)
    void kafkaProxyTlsFlagsRunBothLegs() throws Exception {
        String address = "127.0.90.19";
        String name = "flags" + DOMAIN;
        int base = FreePorts.consecutive(address, 3);
        TestHosts.map(address, name);
        List<String> args = new ArrayList<>(List.of("server"));
        for (int n = 1; n <= 3; n++) {
            args.addAll(List.of("--bootstrap-server-mapping", upstreamName(n) + ":" + (clusterPort + 2) + ","
                    + address + ":" + (base + n - 1) + "," + name + ":" + (base + n - 1)));
        }
        args.addAll(List.of("--dynamic-listeners-disable",
                "--proxy-listener-tls-enable",
                "--proxy-listener-cert-file", gatewayCert.certificatePem().toString(),
                "--proxy-listener-key-file", gatewayCert.keyPem().toString(),
                "--tls-enable",
                "--tls-ca-chain-cert-file", brokerCa.certificatePem().toString(),
                "--tls-client-cert-file", dir.resolve("broker-ca/gateway-upstream.pem").toString(),
                "--tls-client-key-file", dir.resolve("gateway-upstream-key.pem").toString(),
                "--tls-client-key-password", UPSTREAM_KEY_PASSWORD));
        RewriteGateway gw = RewriteGateway.start(io.brokerlink.gateway.compat.KafkaProxyFlags.parse(args),
                new SimpleMeterRegistry());
        gateways.add(gw);
        assertThat(produceAndReadBack(client(name + ":" + base, Optional.empty()), "kafka-proxy-flags"))
                .isEqualTo("via " + name + ":" + base);
    }

    @Test
    @Order(10)
    void plaintextClientsOverTlsToBrokersAndUpstreamFilesReloadIntoANewMetadataClient() throws Exception {
        Path upstreamDir = Files.createDirectories(dir.resolve("upstream-reload"));
        Path caFile = Files.copy(brokerCa.certificatePem(), upstreamDir.resolve("cluster-ca.pem"));
        String tls = upstreamTls.replace("ca: " + brokerCa.certificatePem(), "ca: " + caFile)
                + "  reload-check-ms: 200\n";
        Started g = gateway("127.0.90.20", "plain" + DOMAIN, tls);
        Map<String, Object> plain = new HashMap<>();
        plain.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, g.bootstrap());
        plain.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        assertThat(produceAndReadBack(plain, "plain-clients")).isEqualTo("via " + g.bootstrap());

        // A CA bundle that gained a second CA (a rotation under way): reloaded, and the metadata client rebuilt.
        TestCertificates.Authority next = TestCertificates.authority(upstreamDir.resolve("next"), "next broker CA");
        TlsFiles.replace(caFile, (Files.readString(brokerCa.certificatePem())
                + Files.readString(next.certificatePem())).getBytes(StandardCharsets.US_ASCII));
        await(() -> !logs.linesContaining("upstream-tls: reloaded from [" + caFile).isEmpty(), "the upstream reload");
        await(() -> !logs.linesContaining("upstream-tls: the metadata client was recreated").isEmpty(),
                "the new metadata client");
        g.gateway().refreshNow(); // through the new metadata client: throws if it cannot fetch metadata
        assertThat(g.gateway().readiness().isReady()).isTrue();
        try (Admin admin = Admin.create(plain)) {
            assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(3);
        }
    }

    @Test
    @Order(11)
    void aPlaintextClientOnTheTlsListenerIsToldWhy() throws Exception {
        RewriteGateway first = gateways.get(0);
        int port = first.listenerAddresses().get(0).getPort();
        Map<String, Object> plain = new HashMap<>();
        plain.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.90.10:" + port);
        plain.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        plain.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(plain)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        List<String> lines = logs.linesContaining("sent a plaintext Kafka request");
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                "WARN io\\.brokerlink\\.gateway\\.tls\\.PlaintextOnTlsDetector - client /127\\.0\\.0\\.1:\\d+ sent a "
                        + "plaintext Kafka request \\(ApiVersions v\\d\\) to TLS listener rewrite/b1: the client uses "
                        + "security\\.protocol=PLAINTEXT \\(or SASL_PLAINTEXT\\); set SSL \\(or SASL_SSL\\) and a trust "
                        + "store"));
        try (Socket cut = new Socket("127.0.90.10", port)) {
            cut.getOutputStream().write(new byte[] {0, 0, 0});
            cut.shutdownOutput();
            assertThat(cut.getInputStream().read()).isEqualTo(-1);
        }
        await(() -> !logs.linesContaining("after 3 byte(s), too few").isEmpty(), "the truncated-start WARN");
        assertThat(logs.linesContaining("after 3 byte(s), too few")).singleElement().asString()
                .contains("closed its connection to TLS listener rewrite/b1 after 3 byte(s), too few for a TLS record "
                        + "header or a Kafka request header");
    }

    @Test
    @Order(12)
    void noPasswordAppearsInAnyLogLine() {
        assertThat(logs.lines()).isNotEmpty();
        for (String secret : List.of(UPSTREAM_KEY_PASSWORD, GATEWAY_STORE_PASSWORD, TestCertificates.STORE_PASSWORD)) {
            assertThat(logs.linesContaining(secret)).as("log lines containing a secret").isEmpty();
        }
    }

    /** Creates {@code topic}, produces one record through the gateway and reads it back from its leader. */
    String produceAndReadBack(Map<String, Object> props, String topic) throws Exception {
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        String value = "via " + props.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(20, TimeUnit.SECONDS);
        }
        Map<String, Object> c = new HashMap<>(props);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    return r.value();
                }
            }
        }
        return null;
    }

    /** The certificate a new TLS connection to {@code host:port} is shown (a raw JDK socket, no Kafka). */
    X509Certificate peerCertificate(String host, int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(gatewayCa.truststore())) {
            trust.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    BigInteger serialOrNull(Started g) {
        try {
            return peerCertificate(g.address(), g.base()).getSerialNumber();
        } catch (Exception e) {
            return null;
        }
    }

    /** Connects with plain TCP and waits for the gateway to close the connection (it dials the broker at accept). */
    static boolean closedByGateway(String host, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(15_000);
            try {
                return socket.getInputStream().read() == -1;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }
    }

    /** WARN lines and reloads of this test show within 20 s. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.await(condition, Duration.ofSeconds(20), () -> what);
    }
}
