package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.limits.Limit;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.testkit.ConnectionProbes;
import io.brokerlink.gateway.testkit.Eventually;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.ReadyGateway;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Portmap's connection limits against a real broker and real clients: a flood beyond max-connections and
 * max-connections-per-source is refused while existing connections keep working; an idle connection is closed; an
 * upstream that never answers the connect is given up after the configured time. Each limit counted and logged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortmapLimitsIT {

    private static final String NODE = "127.0.60.11";
    private static final String GATEWAY = "127.0.60.51";
    private static final String SMALL_GATEWAY = "127.0.60.52";
    private static final int MAX_TOTAL = 10;
    private static final int MAX_PER_SOURCE = 4;

    private SandboxCluster cluster;
    private PortmapGateway gateway;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int base;

    @BeforeAll
    void start() throws Exception {
        base = FreePorts.consecutive(GATEWAY, 2);
        cluster = SandboxCluster.builder().brokers(1).firstAddress(NODE).ephemeralPorts()
                .advertisedPortBase(base + 1).start();
        String advertised = cluster.node(1).advertisedHost();
        Files.writeString(Path.of(System.getProperty("brokerlink.test.hosts.file")),
                "127.0.0.1 localhost\n" + GATEWAY + " " + advertised + "\n");
        gateway = (PortmapGateway) ReadyGateway.start("gateway.yaml", """
                mode: portmap
                bind-address: %s
                drain-timeout-ms: 500
                max-connections: %d
                max-connections-per-source: %d
                health-check: {interval-ms: 500, timeout-ms: 300, healthy-threshold: 1, unhealthy-threshold: 2}
                groups:
                  - name: EXTERNAL
                    bootstrap-port: %d
                    brokers: [{node-id: 1, listen-port: %d, target: "%s"}]
                """.formatted(GATEWAY, MAX_TOTAL, MAX_PER_SOURCE, base, base + 1, cluster.node(1).externalBind()),
                registry);
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, cluster);
    }

    @Test
    void aFloodBeyondTheLimitsIsRefusedWhileExistingConnectionsKeepWorking() throws Exception {
        LimitMeters limits = new LimitMeters(registry);
        List<Socket> flood = new ArrayList<>();
        try (LogCapture logs = new LogCapture();
             KafkaProducer<String, String> producer = Records.producer(Map.of(
                     CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + base))) {
            producer.send(new ProducerRecord<>("limits", "before the flood")).get(30, TimeUnit.SECONDS);

            // One source opens twice its share: the first MAX_PER_SOURCE stay, the rest are closed at once.
            assertThat(ConnectionProbes.openFrom("127.0.60.101", GATEWAY, base + 1, 2 * MAX_PER_SOURCE, flood))
                    .containsExactly(true, true, true, true, false, false, false, false);

            // Many sources, one connection each, past the total: exactly the room that was left is admitted.
            int room = MAX_TOTAL - gateway.openConnections();
            List<Boolean> fromManySources = new ArrayList<>();
            for (int i = 0; i < room + 3; i++) {
                Socket s = ConnectionProbes.connectFrom("127.0.60." + (110 + i), GATEWAY, base + 1);
                flood.add(s);
                fromManySources.add(ConnectionProbes.staysOpen(s));
            }
            assertThat(fromManySources.stream().filter(open -> open).count()).isEqualTo(room);
            assertThat(fromManySources.subList(room, room + 3)).containsOnly(false);
            assertThat(gateway.openConnections()).isEqualTo(MAX_TOTAL);

            // The producer's connection was open before the flood and still carries records.
            assertThat(producer.send(new ProducerRecord<>("limits", "during the flood")).get(30, TimeUnit.SECONDS)
                    .offset()).isEqualTo(1);

            assertThat(limits.total(Limit.MAX_CONNECTIONS_PER_SOURCE)).isEqualTo(MAX_PER_SOURCE);
            assertThat(limits.total(Limit.MAX_CONNECTIONS)).isEqualTo(3);
            assertThat(registry.get("brokerlink.gateway.connections.rejected")
                    .tag("reason", "max_connections_per_source").counter().count()).isEqualTo(MAX_PER_SOURCE);
            // One line per limit however many hits (rate-limited; the counter is exact).
            assertThat(logs.linesContaining("limit max-connections-per-source hit on EXTERNAL/b1")).hasSize(1);
            assertThat(logs.linesContaining("limit max-connections hit on EXTERNAL/b1")).hasSize(1)
                    .first().asString().contains("limit " + MAX_TOTAL);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        // The flood gone, new clients get in again.
        Eventually.await(() -> gateway.openConnections() == 0, "flood connections released");
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + base))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void anIdleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        int port = FreePorts.consecutive(SMALL_GATEWAY, 1);
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (LogCapture logs = new LogCapture();
             PortmapGateway small = smallGateway("IDLE", port, cluster.node(1).externalBind(), "idle-timeout-ms: 700",
                     own);
             Socket idle = new Socket(SMALL_GATEWAY, port);
             Socket busy = new Socket(SMALL_GATEWAY, port)) {
            ConnectionProbes.assertIdleClosedAndBusyServed(idle, busy);
            assertThat(new LimitMeters(own).total(Limit.IDLE_TIMEOUT)).isEqualTo(1);
            assertThat(logs.linesContaining("limit idle-timeout-ms hit on IDLE/b1")).hasSize(1)
                    .first().asString().contains("after 700 ms without traffic");
        }
    }

    @Test
    void anUpstreamThatNeverAnswersTheConnectIsGivenUpAfterTheConfiguredTime() throws Exception {
        // A listener that never accepts, with its accept queue full: the kernel drops further SYNs unanswered.
        try (ServerSocket stuck = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.60.90"))) {
            List<Socket> fill = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket s = new Socket();
                    fill.add(s);
                    try {
                        s.connect(stuck.getLocalSocketAddress(), 200);
                    } catch (SocketTimeoutException full) {
                        break;
                    }
                }
                int port = FreePorts.consecutive(SMALL_GATEWAY, 1);
                SimpleMeterRegistry own = new SimpleMeterRegistry();
                // Health checks slower than the connect timeout: the broker is still "unknown", so it is tried.
                try (LogCapture logs = new LogCapture();
                     PortmapGateway small = smallGateway("STUCK", port, "127.0.60.90:" + stuck.getLocalPort(), """
                             upstream-connect-timeout-ms: 300
                             health-check: {interval-ms: 20000, timeout-ms: 10000}""", own);
                     Socket client = new Socket(SMALL_GATEWAY, port)) {
                    long start = System.nanoTime();
                    client.setSoTimeout(5000);
                    assertThat(client.getInputStream().read()).isEqualTo(-1);
                    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertThat(waitedMs).isBetween(250L, 3000L);
                    assertThat(new LimitMeters(own).total(Limit.UPSTREAM_CONNECT_TIMEOUT)).isEqualTo(1);
                    assertThat(logs.linesContaining("limit upstream-connect-timeout-ms hit on STUCK/b1")).hasSize(1)
                            .first().asString().contains("within 300 ms");
                }
            } finally {
                for (Socket s : fill) {
                    s.close();
                }
            }
        }
    }

    /**
     * A gateway with one group of one broker on {@code SMALL_GATEWAY:port}, its own top-level {@code settings}
     * (lines of YAML), returned at once: these tests watch what happens before any health check has passed.
     */
    private static PortmapGateway smallGateway(String group, int port, String target, String settings,
                                               SimpleMeterRegistry registry) {
        return (PortmapGateway) Gateway.start(GatewayConfigLoader.load(group.toLowerCase(Locale.ROOT) + ".yaml", """
                mode: portmap
                bind-address: %s
                drain-timeout-ms: 0
                %s
                groups: [{name: %s, brokers: [{node-id: 1, listen-port: %d, target: "%s"}]}]
                """.formatted(SMALL_GATEWAY, settings, group, port, target)), registry);
    }
}
