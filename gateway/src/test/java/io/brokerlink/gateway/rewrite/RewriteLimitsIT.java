package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.limits.ConnectionLimits;
import io.brokerlink.gateway.limits.Limit;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.testkit.ConnectionProbes;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.KafkaFrames;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rewrite mode's connection limits in front of a real 3-node cluster, real clients, real TCP: a flood beyond
 * max-connections-per-source is refused while a producer connected before it keeps producing; requests beyond
 * max-in-flight-requests wait instead of failing; an oversized frame and an idle connection are closed. Each hit is
 * counted in {@code brokerlink_gateway_limit_hits_total} and logged in one rate-limited line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteLimitsIT {

    static final String GATEWAY = "127.0.70.40";
    static final String IDLE_GATEWAY = "127.0.70.41";
    static final String FLOOD_SOURCE = "127.0.70.101";
    static final int MAX_PER_SOURCE = 4;
    static final int MAX_IN_FLIGHT = 2;
    static final int MAX_FRAME_BYTES = 64 * 1024;

    SandboxCluster cluster;
    RewriteGateway gateway;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int base;

    @BeforeAll
    void start() {
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.70.1").start();
        base = FreePorts.consecutive(GATEWAY, 3);
        gateway = RewriteGateway.start(config(GATEWAY, base, new ConnectionLimits(Optional.of(MAX_PER_SOURCE),
                ConnectionLimits.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(5), MAX_IN_FLIGHT)), registry);
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, cluster);
    }

    RewriteConfig config(String listenHost, int firstPort, ConnectionLimits limits) {
        return new RewriteConfig(new CommonSettings(AdminConfig.DEFAULT, Duration.ofMillis(500), 10_000, limits),
                Arrays.stream(cluster.internalBootstrap().split(",")).map(s -> HostPort.parse(s, 1)).toList(),
                listenHost, List.of(), new RewriteConfig.DynamicRange(1, firstPort, 0, 3),
                new RewriteConfig.Advertised(null, listenHost, Map.of()), Duration.ofSeconds(5), null,
                MAX_FRAME_BYTES, FetchEndpointsMode.SCAN);
    }

    @Test
    void aFloodFromOneSourceIsRefusedWhileAnExistingProducerKeepsWorking() throws Exception {
        try (Admin direct = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.internalBootstrap()))) {
            direct.createTopics(List.of(new NewTopic("rewrite-limits", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        LimitMeters limits = new LimitMeters(registry);
        List<Socket> flood = new ArrayList<>();
        try (LogCapture logs = new LogCapture();
             KafkaProducer<String, String> producer = Records.producer(Map.of(
                     CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + base))) {
            producer.send(new ProducerRecord<>("rewrite-limits", "before the flood")).get(30, TimeUnit.SECONDS);

            // One source opens twice its share on broker 1's listener: the first MAX_PER_SOURCE stay, the rest go.
            assertThat(ConnectionProbes.openFrom(FLOOD_SOURCE, GATEWAY, base, 2 * MAX_PER_SOURCE, flood))
                    .containsExactly(true, true, true, true, false, false, false, false);

            // The producer's connections were open before the flood (another source) and still carry records.
            assertThat(producer.send(new ProducerRecord<>("rewrite-limits", "during the flood")).get(30, TimeUnit.SECONDS)
                    .offset()).isEqualTo(1);
            // An admitted flood connection is a working Kafka connection through the gateway.
            KafkaFrames.apiVersionsRoundTrip(flood.get(0), 7);

            assertThat(limits.total(Limit.MAX_CONNECTIONS_PER_SOURCE)).isEqualTo(MAX_PER_SOURCE);
            assertThat(registry.get("brokerlink.gateway.limit.hits").tag("limit", "max-connections-per-source")
                    .tag("listener", "rewrite/b1").counter().count()).isEqualTo(MAX_PER_SOURCE);
            assertThat(registry.get("brokerlink.gateway.connections.rejected")
                    .tag("reason", "max_connections_per_source").counter().count()).isEqualTo(MAX_PER_SOURCE);
            // One line however many hits (rate-limited; the counter is exact).
            assertThat(logs.linesContaining("limit max-connections-per-source hit on rewrite/b1")).hasSize(1)
                    .first().asString().contains("refused /" + FLOOD_SOURCE).contains("limit " + MAX_PER_SOURCE);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        // The flood gone, the same source gets in again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean admitted = false;
        while (!admitted && System.nanoTime() < deadline) {
            try (Socket s = ConnectionProbes.connectFrom(FLOOD_SOURCE, GATEWAY, base)) {
                admitted = ConnectionProbes.staysOpen(s);
            }
        }
        assertThat(admitted).as("the flood's source is admitted again once its connections closed").isTrue();
    }

    @Test
    void requestsBeyondTheInFlightLimitWaitAndAreAllAnswered() throws Exception {
        double before = new LimitMeters(registry).total(Limit.MAX_IN_FLIGHT_REQUESTS);
        try (Socket s = new Socket(GATEWAY, base)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            for (int correlationId = 1; correlationId <= 6; correlationId++) {
                out.write(KafkaFrames.apiVersionsRequest(correlationId)); // pipelined: 6 in flight wanted, 2 allowed
            }
            out.flush();
            for (int correlationId = 1; correlationId <= 6; correlationId++) {
                assertThat(KafkaFrames.readResponseCorrelationId(s.getInputStream())).isEqualTo(correlationId);
            }
        }
        assertThat(new LimitMeters(registry).total(Limit.MAX_IN_FLIGHT_REQUESTS)).isGreaterThan(before);
    }

    @Test
    void aFrameAboveMaxFrameBytesClosesTheConnectionAndCountsAsALimitHit() throws Exception {
        try (LogCapture logs = new LogCapture(); Socket s = new Socket(GATEWAY, base + 1)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(ByteBuffer.allocate(8).putInt(MAX_FRAME_BYTES + 1).putInt(0).array());
            assertThat(ConnectionProbes.closedByPeer(s)).as("connection closed by the gateway").isTrue();
            assertThat(registry.get("brokerlink.gateway.limit.hits").tag("limit", "max-frame-bytes")
                    .tag("listener", "rewrite/b2").counter().count()).isEqualTo(1);
            assertThat(logs.linesContaining("limit max-frame-bytes hit on rewrite/b2")).hasSize(1)
                    .first().asString().contains("exceeds the limit of " + MAX_FRAME_BYTES);
        }
    }

    @Test
    void anIdleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        int idleBase = FreePorts.consecutive(IDLE_GATEWAY, 3);
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (LogCapture logs = new LogCapture();
             RewriteGateway small = RewriteGateway.start(config(IDLE_GATEWAY, idleBase, new ConnectionLimits(
                     Optional.empty(), Duration.ofMillis(700), Duration.ofSeconds(5), 100)), own);
             Socket idle = new Socket(IDLE_GATEWAY, idleBase);
             Socket busy = new Socket(IDLE_GATEWAY, idleBase)) {
            ConnectionProbes.assertIdleClosedAndBusyServed(idle, busy);
            assertThat(new LimitMeters(own).total(Limit.IDLE_TIMEOUT)).isEqualTo(1);
            assertThat(logs.linesContaining("limit idle-timeout-ms hit on rewrite/b1")).hasSize(1)
                    .first().asString().contains("after 700 ms without traffic");
        }
    }
}
