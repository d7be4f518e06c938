package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.compat.KafkaProxyFlags;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.NewTopics;
import io.brokerlink.gateway.testkit.TamperingRelay;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** Malformed input, kcat (librdkafka) and the seed's kafka-proxy command line, against a real cluster. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteEdgesIT {

    static final String GATEWAY = "127.0.30.45";
    static final String TAMPER = "127.0.30.46";
    static final String PROXY_COMPAT = "127.0.30.47";

    SandboxCluster cluster;
    RewriteGateway gateway;
    int base;
    int tamperedPort;
    ServerSocket tamper;
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.30.5").start();
        base = FreePorts.consecutive(GATEWAY, 4);
        tamperedPort = base + 3;
        tamper = new ServerSocket();
        tamper.bind(new InetSocketAddress(TAMPER, 0));
        TamperingRelay.start(tamper, cluster.node(1).address(), cluster.node(1).internalPort(),
                RewriteEdgesIT::flipFirstCorrelationId);
        RewriteConfig config = new RewriteConfig(new CommonSettings(AdminConfig.DEFAULT, Duration.ofSeconds(2), 1000),
                Arrays.stream(cluster.internalBootstrap().split(",")).map(s -> HostPort.parse(s, 1)).toList(), GATEWAY,
                List.of(new RewriteConfig.BrokerMapping(null, new HostPort(TAMPER, tamper.getLocalPort()),
                        new HostPort(GATEWAY, tamperedPort), new HostPort(GATEWAY, tamperedPort))),
                new RewriteConfig.DynamicRange(1, base, 0, 3),
                new RewriteConfig.Advertised(null, GATEWAY, Map.of()), Duration.ofSeconds(5), null, 64 * 1024,
                FetchEndpointsMode.SCAN);
        gateway = RewriteGateway.start(config, new SimpleMeterRegistry());
        warnings.start();
        // Malformed frames are logged by the connection; an oversized one is a limit hit, TLS has its own handler.
        for (Class<?> source : List.of(ClientConnection.class, io.brokerlink.gateway.limits.LimitMeters.class,
                TlsOnPlaintextDetector.class)) {
            ((Logger) LoggerFactory.getLogger(source)).addAppender(warnings);
        }
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, tamper, cluster);
    }

    /** A broker gone wrong: the first response comes back with its correlation id changed, the rest unchanged. */
    static void flipFirstCorrelationId(DataInputStream in, DataOutputStream out) throws IOException {
        int size = in.readInt();
        int correlationId = in.readInt();
        byte[] rest = new byte[size - 4];
        in.readFully(rest);
        out.writeInt(size);
        out.writeInt(correlationId + 1000);
        out.write(rest);
        in.transferTo(out);
    }

    String bootstrap() {
        return GATEWAY + ":" + base;
    }

    Map<Integer, String> describe(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 10000))) {
            Map<Integer, String> out = new TreeMap<>();
            for (Node n : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
                out.put(n.id(), n.host() + ":" + n.port());
            }
            return out;
        }
    }

    /** Sends bytes on a raw socket to a gateway port; returns once the gateway has closed the connection. */
    int sendAndAwaitClose(int port, byte[] bytes, boolean halfClose) throws Exception {
        try (Socket s = new Socket(GATEWAY, port)) {
            s.setSoTimeout(15000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            int local = s.getLocalPort();
            assertThat(s.getInputStream().read()).as("the gateway closes the connection").isEqualTo(-1);
            return local;
        }
    }

    void assertWarned(int clientPort, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean found = warnings().stream().anyMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains(":" + clientPort) && e.getFormattedMessage().contains(reason));
            if (found) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no WARN naming port " + clientPort + " and \"" + reason + "\" in "
                + warnings().stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    /** A copy: the event loops append while the test reads (ListAppender appends under its own lock). */
    List<ILoggingEvent> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings.list);
        }
    }

    @Test
    void malformedFramesCloseOnlyTheirConnectionWithAWarnNamingPeerAndReason() throws Exception {
        try (Admin healthy = Admin.create(Map.of("bootstrap.servers", bootstrap(), "request.timeout.ms", 10000))) {
            assertThat(healthy.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);

            int p = sendAndAwaitClose(base, ByteBuffer.allocate(4).putInt(200_000_000).array(), false);
            assertWarned(p, "exceeds the limit of 65536 bytes");

            p = sendAndAwaitClose(base + 1, ByteBuffer.allocate(4).putInt(-5).array(), false);
            assertWarned(p, "negative frame size -5");

            byte[] tlsHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            p = sendAndAwaitClose(base + 2, tlsHello, false);
            assertWarned(p, "TLS handshake");

            byte[] truncated = ByteBuffer.allocate(14).putInt(100).put(new byte[10]).array();
            p = sendAndAwaitClose(base, truncated, true);
            assertWarned(p, "truncated frame");

            p = sendAndAwaitClose(tamperedPort, apiVersionsRequest(7), false);
            assertWarned(p, "unknown correlation id 1007");

            // the gateway kept serving everyone else, on the same ports, throughout
            assertThat(healthy.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            assertThat(healthy.createTopics(List.of(new NewTopic("after-garbage", 1, (short) 3))).all()
                    .get(30, TimeUnit.SECONDS)).isNull();
        }
    }

    static byte[] apiVersionsRequest(int correlationId) {
        short version = 3;
        ByteBuffer body = RequestUtils.serialize(new RequestHeaderData().setRequestApiKey(ApiKeys.API_VERSIONS.id)
                        .setRequestApiVersion(version).setCorrelationId(correlationId).setClientId("raw"),
                ApiKeys.API_VERSIONS.requestHeaderVersion(version),
                new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"), version);
        return ByteBuffer.allocate(4 + body.remaining()).putInt(body.remaining()).put(body).array();
    }

    @Test
    void kcatListsRewrittenAddressesAndProducesAndConsumes() throws Exception {
        String list = run("kcat", "-b", bootstrap(), "-L", "-m", "10");
        for (int id = 1; id <= 3; id++) {
            assertThat(list).contains("broker " + id + " at " + GATEWAY + ":" + (base + id - 1));
        }
        assertThat(list).doesNotContain(cluster.node(1).address() + ":");
        ProcessBuilder produce = new ProcessBuilder("kcat", "-b", bootstrap(), "-P", "-t", "kcat-topic",
                "-X", "topic.request.required.acks=all").redirectErrorStream(true);
        Process p = produce.start();
        p.getOutputStream().write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        String consumed = run("kcat", "-b", bootstrap(), "-C", "-t", "kcat-topic", "-o", "beginning", "-e", "-c", "3");
        assertThat(consumed.lines().toList()).contains("one", "two", "three");
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void theSeedsKafkaProxyCommandLineRunsAgainstTheCluster() throws Exception {
        int p0 = FreePorts.consecutive(PROXY_COMPAT, 3);
        String domain = ".abc.us-west1.gcp.3199745.tidbcloud.com";
        // The seed's shape, value for value: mappings for b1 and b2, broker 3 found dynamically.
        List<String> args = List.of("server",
                "--bootstrap-server-mapping", cluster.node(1).internal() + "," + PROXY_COMPAT + ":" + p0 + ",b1" + domain + ":" + p0,
                "--bootstrap-server-mapping", cluster.node(2).internal() + "," + PROXY_COMPAT + ":" + (p0 + 1) + ",b2" + domain + ":" + (p0 + 1),
                "--dynamic-sequential-min-port=" + (p0 + 2),
                "--dynamic-advertised-listener=brokers" + domain,
                "--default-listener-ip=" + PROXY_COMPAT);
        TestHosts.map(PROXY_COMPAT, "b1" + domain, "b2" + domain, "brokers" + domain);
        try (RunningGateway running = Gateway.start(KafkaProxyFlags.parse(args), new SimpleMeterRegistry())) {
            assertThat(running.readiness().isReady()).isTrue();
            assertThat(describe("b1" + domain + ":" + p0)).isEqualTo(Map.of(
                    1, "b1" + domain + ":" + p0,
                    2, "b2" + domain + ":" + (p0 + 1),
                    3, "brokers" + domain + ":" + (p0 + 2)));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", "brokers" + domain + ":" + (p0 + 2)))) {
                NewTopics.createAndAwait(admin, new NewTopic("via-kafka-proxy-flags", 3, (short) 3));
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("via-kafka-proxy-flags");
            }
        }
    }
}
