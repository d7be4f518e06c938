package io.brokerlink.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.admin.AdminServer;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.GatewayConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limit keys of gateway.yaml (strict, file:line errors), the admission counts, and the admin bind default. */
class ConnectionLimitsConfigTest {

    private static final String GROUPS =
            "groups: [{name: A, brokers: [{node-id: 1, listen-port: 9093, target: \"h:1\"}]}]\n";

    private static GatewayConfig load(String keys) {
        return GatewayConfigLoader.load("gateway.yaml", "mode: portmap\n" + keys + GROUPS);
    }

    @Test
    void readsEveryLimitKey() {
        ConnectionLimits limits = load("""
                max-connections: 50
                max-connections-per-source: 7
                idle-timeout-ms: 60000
                upstream-connect-timeout-ms: 2500
                max-in-flight-requests: 64
                """).common().limits();
        assertThat(limits).isEqualTo(new ConnectionLimits(Optional.of(7), Duration.ofSeconds(60),
                Duration.ofMillis(2500), 64));
    }

    @Test
    void absentKeysKeepTheDefaults() {
        assertThat(load("").common().limits()).isEqualTo(ConnectionLimits.DEFAULT);
        assertThat(ConnectionLimits.DEFAULT.maxConnectionsPerSource()).isEmpty();
        assertThat(ConnectionLimits.DEFAULT.idleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(load("idle-timeout-ms: 0\n").common().limits().idleTimeout()).isZero();
    }

    @Test
    void outOfRangeValuesNameFileLineAndField() {
        assertThatThrownBy(() -> load("drain-timeout-ms: 100\nmax-connections-per-source: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:3:29 max-connections-per-source: 0 is not a connection limit (1-1000000)");
        assertThatThrownBy(() -> load("upstream-connect-timeout-ms: fast\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml:2:30 upstream-connect-timeout-ms: \"fast\" is a string")
                .hasMessageEndingWith("expected an integer");
        assertThatThrownBy(() -> load("idle-timeout-ms: -1\n"))
                .hasMessage("gateway.yaml:2:18 idle-timeout-ms: -1 is not an idle timeout (0 = never, up to 86400000 ms)");
    }

    @Test
    void aMisspeltLimitKeyListsTheValidOnes() {
        assertThatThrownBy(() -> load("max-connection-per-source: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml:2:1 max-connection-per-source: unknown key; valid keys at the "
                        + "top level are")
                .hasMessageContaining("max-connections-per-source");
    }

    @Test
    void admissionCountsTotalAndPerSourceAndReleasesOnce() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(3, Optional.of(2));
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.60.101"), 40000);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("127.0.60.102"), 40000);
        Admission a1 = admission.admit(a);
        Admission a2 = admission.admit(a);
        assertThat(admission.admit(a)).isEqualTo(new Admission.Refused(Limit.MAX_CONNECTIONS_PER_SOURCE, 2));
        Admission b1 = admission.admit(b);
        assertThat(admission.admit(b)).isEqualTo(new Admission.Refused(Limit.MAX_CONNECTIONS, 3));
        assertThat(admission.open()).isEqualTo(3);
        ((Admission.Admitted) a1).release();
        ((Admission.Admitted) a1).release(); // a second release changes nothing
        assertThat(admission.open()).isEqualTo(2);
        assertThat(admission.openFrom(a.getAddress())).isEqualTo(1);
        assertThat(admission.admit(a)).isInstanceOf(Admission.Admitted.class);
        ((Admission.Admitted) a2).release();
        ((Admission.Admitted) b1).release();
        assertThat(admission.openFrom(b.getAddress())).isZero();
    }

    @Test
    void theAdminEndpointBindsToLoopbackUnlessConfigured() throws Exception {
        CommonSettings common = load("").common();
        assertThat(common.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(InetAddress.getByName(common.admin().bind().host()).isLoopbackAddress()).isTrue();
        // The default address, on a free port (the default port may be taken on a shared machine).
        AdminConfig defaultAddress = new AdminConfig(new HostPort(common.admin().bind().host(), 0));
        try (AdminServer server = AdminServer.start(defaultAddress, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Optional::empty)) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        }
        assertThat(load("admin-bind: 0.0.0.0:9644\n").common().admin().bind()).isEqualTo(new HostPort("0.0.0.0", 9644));
    }
}
