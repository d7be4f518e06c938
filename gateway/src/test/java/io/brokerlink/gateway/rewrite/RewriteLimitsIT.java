package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.limits.ConnectionLimits;
import io.brokerlink.gateway.limits.Limit;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringSerializer;
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
        base = RewriteModeIT.freeOnAll(3, GATEWAY);
        gateway = RewriteGateway.start(config(GATEWAY, base, new ConnectionLimits(Optional.of(MAX_PER_SOURCE),
                ConnectionLimits.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(5), MAX_IN_FLIGHT)), registry);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
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
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + base,
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("rewrite-limits", "before the flood")).get(30, TimeUnit.SECONDS);

            // One source opens twice its share on broker 1's listener: the first MAX_PER_SOURCE stay, the rest go.
            List<Boolean> fromOneSource = new ArrayList<>();
            for (int i = 0; i < 2 * MAX_PER_SOURCE; i++) {
                Socket s = connectFrom(FLOOD_SOURCE, base);
                flood.add(s);
                fromOneSource.add(staysOpen(s));
            }
            assertThat(fromOneSource).containsExactly(true, true, true, true, false, false, false, false);

            // The producer's connections were open before the flood (another source) and still carry records.
            assertThat(producer.send(new ProducerRecord<>("rewrite-limits", "during the flood")).get(30, TimeUnit.SECONDS)
                    .offset()).isEqualTo(1);
            // An admitted flood connection is a working Kafka connection through the gateway.
            apiVersionsRoundTrip(flood.get(0), 7);

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
            try (Socket s = connectFrom(FLOOD_SOURCE, base)) {
                admitted = staysOpen(s);
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
                out.write(apiVersionsFrame(correlationId)); // pipelined: 6 in flight wanted, 2 allowed
            }
            out.flush();
            for (int correlationId = 1; correlationId <= 6; correlationId++) {
                assertThat(readResponseCorrelationId(s.getInputStream())).isEqualTo(correlationId);
            }
        }
        assertThat(new LimitMeters(registry).total(Limit.MAX_IN_FLIGHT_REQUESTS)).isGreaterThan(before);
    }

    @Test
    void aFrameAboveMaxFrameBytesClosesTheConnectionAndCountsAsALimitHit() throws Exception {
        try (LogCapture logs = new LogCapture(); Socket s = new Socket(GATEWAY, base + 1)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(ByteBuffer.allocate(8).putInt(MAX_FRAME_BYTES + 1).putInt(0).array());
            assertThat(readUntilClosed(s)).as("connection closed by the gateway").isTrue();
            assertThat(registry.get("brokerlink.gateway.limit.hits").tag("limit", "max-frame-bytes")
                    .tag("listener", "rewrite/b2").counter().count()).isEqualTo(1);
            assertThat(logs.linesContaining("limit max-frame-bytes hit on rewrite/b2")).hasSize(1)
                    .first().asString().contains("exceeds the limit of " + MAX_FRAME_BYTES);
        }
    }

    @Test
    void anIdleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        int idleBase = RewriteModeIT.freeOnAll(3, IDLE_GATEWAY);
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (LogCapture logs = new LogCapture();
             RewriteGateway small = RewriteGateway.start(config(IDLE_GATEWAY, idleBase, new ConnectionLimits(
                     Optional.empty(), Duration.ofMillis(700), Duration.ofSeconds(5), 100)), own);
             Socket idle = new Socket(IDLE_GATEWAY, idleBase);
             Socket busy = new Socket(IDLE_GATEWAY, idleBase)) {
            busy.setSoTimeout(5000);
            long start = System.nanoTime();
            for (int correlationId = 1; System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2000); correlationId++) {
                apiVersionsRoundTrip(busy, correlationId); // every 250 ms: never 700 ms quiet
                Thread.sleep(250);
            }
            idle.setSoTimeout(5000);
            assertThat(idle.getInputStream().read()).as("idle connection closed by the gateway").isEqualTo(-1);
            apiVersionsRoundTrip(busy, 1000);
            assertThat(new LimitMeters(own).total(Limit.IDLE_TIMEOUT)).isEqualTo(1);
            assertThat(logs.linesContaining("limit idle-timeout-ms hit on rewrite/b1")).hasSize(1)
                    .first().asString().contains("after 700 ms without traffic");
        }
    }

    static Socket connectFrom(String source, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress(GATEWAY, port), 2000);
        return s;
    }

    /** Open: nothing arrives and the connection is not closed within 500 ms. Refused: end of stream at once. */
    static boolean staysOpen(Socket s) throws IOException {
        s.setSoTimeout(500);
        try {
            return s.getInputStream().read() != -1;
        } catch (SocketTimeoutException quiet) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    /** True once the peer closed (end of stream or reset) within the socket's timeout. */
    static boolean readUntilClosed(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() != -1) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static byte[] apiVersionsFrame(int correlationId) {
        ByteBuffer request = new ApiVersionsRequest.Builder().build((short) 0).serializeWithHeader(
                new RequestHeader(ApiKeys.API_VERSIONS, (short) 0, "limits-it", correlationId));
        byte[] frame = new byte[4 + request.remaining()];
        ByteBuffer.wrap(frame).putInt(request.remaining()).put(request);
        return frame;
    }

    static int readResponseCorrelationId(InputStream in) throws IOException {
        int size = ByteBuffer.wrap(in.readNBytes(4)).getInt();
        byte[] body = in.readNBytes(size);
        assertThat(body).hasSize(size);
        return ByteBuffer.wrap(body).getInt();
    }

    static void apiVersionsRoundTrip(Socket s, int correlationId) throws IOException {
        s.getOutputStream().write(apiVersionsFrame(correlationId));
        assertThat(readResponseCorrelationId(s.getInputStream())).isEqualTo(correlationId);
    }
}
