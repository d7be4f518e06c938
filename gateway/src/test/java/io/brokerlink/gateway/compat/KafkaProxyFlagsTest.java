package io.brokerlink.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.config.HostPort;
import io.brokerlink.gateway.rewrite.NodePortMap;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        List<String> tls = new ArrayList<>(SEED);
        tls.add("--tls-enable");
        assertThatThrownBy(() -> KafkaProxyFlags.parse(tls)).hasMessageStartingWith("--tls-enable: not supported")
                .hasMessageContaining("TLS is not implemented");
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
}
