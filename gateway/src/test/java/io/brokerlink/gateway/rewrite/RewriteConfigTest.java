package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.config.ConfigException;
import org.junit.jupiter.api.Test;

class RewriteConfigTest {

    static final String REFERENCE = """
            mode: rewrite
            bootstrap-servers: [10.0.0.1:9092, 10.0.0.2:9092]
            listen-host: 0.0.0.0
            dynamic: {first-node-id: 1, listen-base-port: 9093, count: 10}
            advertised:
              pattern: "<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>"
              rack-to-az: {us-west-2a: usw2-az1, us-west-2b: usw2-az2}
            fetch-endpoints: cap-v15
            """;

    @Test
    void theReferenceScenarioPlacesBrokersByNodeIdAndRack() {
        RewriteConfig config = (RewriteConfig) GatewayConfigLoader.load("g.yaml", REFERENCE);
        NodePortMap map = new NodePortMap(config);
        assertThat(map.place(2, new HostPort("10.0.0.2", 9092), "us-west-2b")).isEqualTo(new NodePortMap.Placed(2,
                new HostPort("0.0.0.0", 9094), new HostPort("b2.usw2-az2.abc.us-west-2.aws.plc.example.com", 9094)));
        assertThat(config.fetchEndpoints()).isEqualTo(FetchEndpointsMode.CAP_V15);
    }

    @Test
    void withoutFetchEndpointsFetchIsCappedAtV15AndScanIsStillThereOnRequest() {
        String without = REFERENCE.replace("fetch-endpoints: cap-v15\n", "");
        assertThat(((RewriteConfig) GatewayConfigLoader.load("g.yaml", without)).fetchEndpoints())
                .isEqualTo(FetchEndpointsMode.CAP_V15);
        assertThat(((RewriteConfig) GatewayConfigLoader.load("g.yaml", REFERENCE.replace("cap-v15", "scan")))
                .fetchEndpoints()).isEqualTo(FetchEndpointsMode.SCAN);
    }

    @Test
    void aNodeOutsideTheRangeOrARackWithoutAzIsUnplacedWithTheReason() {
        NodePortMap map = new NodePortMap((RewriteConfig) GatewayConfigLoader.load("g.yaml", REFERENCE));
        assertThat(map.place(11, null, "us-west-2a")).isInstanceOfSatisfying(NodePortMap.Unplaced.class,
                u -> assertThat(u.reason()).contains("node 11", "outside dynamic's node ids 1..10"));
        assertThat(map.place(3, null, "us-west-2c")).isInstanceOfSatisfying(NodePortMap.Unplaced.class,
                u -> assertThat(u.reason()).contains("rack us-west-2c", "rack-to-az"));
    }

    @Test
    void explicitBrokersByNodeIdWinOverTheRange() {
        RewriteConfig config = (RewriteConfig) GatewayConfigLoader.load("g.yaml", """
                mode: rewrite
                bootstrap-servers: [10.0.0.1:9092]
                brokers: [{node-id: 1, listen: 8001, advertised: "gw.example.com:443"}]
                dynamic: {first-node-id: 2, listen-base-port: 9093}
                advertised: {fixed-host: gw.example.com}
                """);
        NodePortMap map = new NodePortMap(config);
        assertThat(map.place(1, null, null)).isEqualTo(new NodePortMap.Placed(1, new HostPort("0.0.0.0", 8001),
                new HostPort("gw.example.com", 443)));
        assertThat(map.place(3, null, null)).isEqualTo(new NodePortMap.Placed(3, new HostPort("0.0.0.0", 9094),
                new HostPort("gw.example.com", 9094)));
    }

    @Test
    void collidingPortsAreAConfigurationError() {
        assertThatThrownBy(() -> GatewayConfigLoader.load("g.yaml", """
                mode: rewrite
                bootstrap-servers: [10.0.0.1:9092]
                brokers: [{node-id: 1, listen: 9095}]
                dynamic: {first-node-id: 2, listen-base-port: 9093, count: 5}
                advertised: {fixed-host: gw.example.com}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("brokers[0].listen: port 9095 lies inside dynamic's ports 9093..9097");
    }

    @Test
    void unknownKeysAndBadValuesNameFileLineAndField() {
        assertThatThrownBy(() -> GatewayConfigLoader.load("g.yaml", REFERENCE.replace("count: 10", "cuont: 10")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("g.yaml:4").hasMessageContaining("cuont");
        assertThatThrownBy(() -> GatewayConfigLoader.load("g.yaml", REFERENCE.replace("cap-v15", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("\"fast\" is not a Fetch mode; use scan or cap-v15");
        assertThatThrownBy(() -> GatewayConfigLoader.load("g.yaml", """
                mode: rewrite
                bootstrap-servers: [10.0.0.1:9092]
                """)).hasMessageContaining("neither brokers nor dynamic is set");
    }
}
