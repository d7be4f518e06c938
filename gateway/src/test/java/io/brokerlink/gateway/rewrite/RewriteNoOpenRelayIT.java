package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.testkit.ConnectionProbes;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.RelayAttempts;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rewrite mode in front of a real 3-node cluster is no open relay: whatever a client sends (proxy protocols naming
 * another address, Kafka frames naming it, a TLS ClientHello) the gateway connects only to the brokers upstream
 * metadata names, and a canary server on another address accepts no connection. A real Kafka client configured for
 * SSL against the plaintext listener is told why it fails, in one exact log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteNoOpenRelayIT {

    static final String GATEWAY = "127.0.70.42";
    static final String CANARY = "127.0.70.62";

    SandboxCluster cluster;
    RewriteGateway gateway;
    int base;
    ServerSocket canary;
    final AtomicInteger canaryAccepted = new AtomicInteger();

    @BeforeAll
    void start() throws IOException {
        canary = new ServerSocket();
        canary.bind(new InetSocketAddress(CANARY, 0));
        Thread t = new Thread(() -> {
            while (!canary.isClosed()) {
                try (Socket s = canary.accept()) {
                    canaryAccepted.incrementAndGet();
                } catch (IOException closed) {
                    // the test is over
                }
            }
        }, "canary");
        t.setDaemon(true);
        t.start();
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.70.21").start();
        base = FreePorts.consecutive(GATEWAY, 3);
        gateway = RewriteGateway.start(new RewriteConfig(
                new CommonSettings(AdminConfig.DEFAULT, Duration.ofMillis(500), 10_000),
                Arrays.stream(cluster.internalBootstrap().split(",")).map(s -> HostPort.parse(s, 1)).toList(),
                GATEWAY, List.of(), new RewriteConfig.DynamicRange(1, base, 0, 3),
                new RewriteConfig.Advertised(null, GATEWAY, Map.of()), Duration.ofSeconds(5), null, 0,
                FetchEndpointsMode.SCAN), new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, cluster, canary);
    }

    @Test
    void clientBytesNamingAnotherAddressNeverMakeTheGatewayConnectThere() throws Exception {
        for (Map.Entry<String, byte[]> attempt : RelayAttempts.naming(CANARY, canary.getLocalPort()).entrySet()) {
            for (int gatewayPort = base; gatewayPort < base + 3; gatewayPort++) {
                try (Socket s = new Socket(GATEWAY, gatewayPort)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(attempt.getValue());
                    s.shutdownOutput(); // whatever the gateway waits for, nothing more comes
                    assertThat(ConnectionProbes.closedByPeer(s)).as(attempt.getKey() + " on port " + gatewayPort)
                            .isTrue();
                }
            }
        }
        assertThat(canaryAccepted).hasValue(0);
        // The gateway still serves real clients, and names only its own listeners.
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + base))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3)
                    .extracting(Node::host).containsOnly(GATEWAY);
        }
        assertThat(canaryAccepted).hasValue(0);
    }

    @Test
    void aKafkaClientSpeakingTlsToThePlaintextListenerIsToldWhy() throws Exception {
        try (LogCapture logs = new LogCapture();
             Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + base,
                     CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                     CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000,
                     CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            Throwable failure = null;
            try {
                admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                failure = e;
            }
            assertThat(failure).as("an SSL client cannot talk to a plaintext listener").isNotNull();
            List<String> lines = logs.linesContaining("TLS handshake from");
            assertThat(lines).isNotEmpty();
            assertThat(lines).allMatch(l -> l.matches("WARN io\\.brokerlink\\.gateway\\.rewrite\\.TlsOnPlaintextDetector - "
                    + "TLS handshake from /127\\.0\\.0\\.1:\\d+ on plaintext listener rewrite/b1: the client uses "
                    + "security\\.protocol=SSL/SASL_SSL but this listener is PLAINTEXT"), "the exact line");
            // Said once per connection, not buried under a frame-size error.
            assertThat(logs.linesContaining("exceeds the limit")).isEmpty();
        }
        assertThat(canaryAccepted).hasValue(0);
    }
}
