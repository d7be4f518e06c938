package io.brokerlink.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.portmap.BrokerRoute;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigLoaderTest {

    /** The shape {@code brokerlink plan} writes. */
    static final String PLAN_OUTPUT = """
            mode: portmap
            bind-address: 0.0.0.0
            health-check:
              interval-ms: 2000
              timeout-ms: 1000
              healthy-threshold: 2
              unhealthy-threshold: 2
            groups:
              - name: EXTERNAL
                bootstrap-port: 9092        # optional
                brokers:
                  - node-id: 1
                    listen-port: 9093
                    target: 127.0.1.1:39092
                    advertised: b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093
                  - node-id: 2
                    listen-port: 9094
                    target: 127.0.1.2:39092
                    advertised: b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094
              - name: EXTERNAL2
                brokers:
                  - node-id: 1
                    listen-port: 9193
                    target: 127.0.1.1:39192
            """;

    @Test
    void readsThePlanOutputAsItIs(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), PLAN_OUTPUT);

        PortmapConfig config = (PortmapConfig) GatewayConfigLoader.load(file);

        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.healthCheck().interval()).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.groups()).hasSize(2);
        assertThat(config.groups().get(0).bootstrapPort()).hasValue(9092);
        assertThat(config.groups().get(1).bootstrapPort()).isEmpty();
        BrokerRoute b2 = config.groups().get(0).brokers().get(1);
        assertThat(b2.nodeId()).isEqualTo(2);
        assertThat(b2.listenPort()).isEqualTo(9094);
        assertThat(b2.target()).isEqualTo(new HostPort("127.0.1.2", 39092));
        assertThat(b2.advertised()).hasValue("b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094");
        assertThat(config.common()).isEqualTo(CommonSettings.DEFAULT);
    }

    @Test
    void readsCommonSettings() {
        GatewayConfig config = GatewayConfigLoader.load("g.yaml", """
                mode: portmap
                admin-bind: 127.0.0.1:0
                drain-timeout-ms: 500
                max-connections: 20
                groups: [{name: A, brokers: [{node-id: 1, listen-port: 9093, target: "h:1"}]}]
                """);
        assertThat(config.common().admin().bind()).isEqualTo(new HostPort("127.0.0.1", 0));
        assertThat(config.common().drainTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.common().maxConnections()).isEqualTo(20);
    }

    @Test
    void dispatchesRewriteMode() {
        GatewayConfig config = GatewayConfigLoader.load("g.yaml", """
                mode: rewrite
                bootstrap-servers: [127.0.0.1:9092, "[::1]:9093"]
                dynamic: {first-node-id: 1, listen-base-port: 9093}
                advertised: {fixed-host: brokers.example.com}
                """);
        assertThat(config).isInstanceOf(RewriteConfig.class);
        assertThat(((RewriteConfig) config).upstream()).extracting(Object::toString)
                .containsExactly("127.0.0.1:9092", "[::1]:9093");
    }

    @Test
    void aPortOutOfRangeNamesFileLineAndFieldPath() {
        String yaml = PLAN_OUTPUT.replace("listen-port: 9094", "listen-port: 70000");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:17:22 groups[0].brokers[1].listen-port: 70000 is not a port (1-65535)");
    }

    @Test
    void anUnknownKeyIsNamedWithTheValidOnes() {
        String yaml = PLAN_OUTPUT.replace("healthy-threshold: 2\n  unhealthy", "healthy-treshold: 2\n  unhealthy");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:6:3 health-check.healthy-treshold: unknown key; valid keys in health-check"
                        + " are interval-ms, timeout-ms, healthy-threshold, unhealthy-threshold");
    }

    @Test
    void anUnknownTopLevelKeyIsAnError() {
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", PLAN_OUTPUT + "extra: 1\n"))
                .hasMessageStartingWith("gateway.yaml:25:1 extra: unknown key; valid keys at the top level are mode,");
    }

    @Test
    void aWrongTypeIsAnError() {
        String yaml = PLAN_OUTPUT.replace("node-id: 2", "node-id: two");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:16:18 groups[0].brokers[1].node-id: \"two\" is a string; expected an integer");
    }

    @Test
    void aMissingRequiredFieldIsAnError() {
        String yaml = PLAN_OUTPUT.replace("        target: 127.0.1.2:39092\n", "");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:16:9 groups[0].brokers[1].target: missing;"
                        + " groups[0].brokers[1] needs a value for target");
    }

    @Test
    void aBadTargetIsAnError() {
        String yaml = PLAN_OUTPUT.replace("target: 127.0.1.2:39092", "target: 127.0.1.2");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:18:17 groups[0].brokers[1].target: \"127.0.1.2\" is not HOST:PORT");
    }

    @Test
    void aPortUsedTwiceIsAnError() {
        String yaml = PLAN_OUTPUT.replace("listen-port: 9193", "listen-port: 9093");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:23:22 groups[1].brokers[0].listen-port: 9093 is already used by"
                        + " groups[0].brokers[0].listen-port; every listen port must be unique");
    }

    @Test
    void aDuplicateKeyIsAnError() {
        String yaml = PLAN_OUTPUT.replace("bind-address: 0.0.0.0\n", "bind-address: 0.0.0.0\nbind-address: ::\n");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:3:1 bind-address: duplicate key (first at line 2); give each key once");
    }

    @Test
    void anUnknownModeListsTheModes() {
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", "mode: proxy\n"))
                .hasMessage("gateway.yaml:1:7 mode: \"proxy\" is not a mode; use one of portmap, rewrite");
    }

    @Test
    void aTimeoutLongerThanTheIntervalIsAnError() {
        String yaml = PLAN_OUTPUT.replace("timeout-ms: 1000", "timeout-ms: 3000");
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", yaml))
                .hasMessage("gateway.yaml:5:15 health-check.timeout-ms: 3000 is longer than interval-ms (2000);"
                        + " a check must finish before the next one starts");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> GatewayConfigLoader.load("gateway.yaml", "mode: portmap\ngroups: [\n"))
                .hasMessageStartingWith("gateway.yaml:2:10 invalid YAML:");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> GatewayConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessageEndingWith("nope.yaml: no such file; give the path of a gateway YAML file");
    }
}
