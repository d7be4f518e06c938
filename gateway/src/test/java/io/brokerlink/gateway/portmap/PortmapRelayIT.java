package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.config.HostPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Portmap's TCP behaviour over real sockets: half-close, back-pressure with a large transfer, a reset that closes
 * only its own connection, an unhealthy upstream, round robin, graceful shutdown. Upstreams are plain TCP servers
 * because these properties are TCP's, not Kafka's (the Kafka workloads are in {@link PortmapKafkaIT}).
 */
class PortmapRelayIT {

    private static final String GATEWAY = "127.0.20.60";
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private TestUpstream upstream(String name, TestUpstream.Behaviour behaviour) throws Exception {
        TestUpstream upstream = new TestUpstream(name, "127.0.20.61", behaviour);
        resources.add(upstream);
        return upstream;
    }

    /** One group: a bootstrap port (base) and one port per upstream (base+1...). */
    private PortmapGateway gateway(int base, Duration drain, TestUpstream... upstreams) throws InterruptedException {
        List<BrokerRoute> brokers = new ArrayList<>();
        for (int i = 0; i < upstreams.length; i++) {
            brokers.add(new BrokerRoute(i + 1, base + 1 + i, HostPort.parse(upstreams[i].address(), 1),
                    Optional.empty()));
        }
        PortmapConfig config = new PortmapConfig(
                new CommonSettings(new AdminConfig(new HostPort("127.0.0.1", 0)), drain, 100),
                GATEWAY, new HealthCheckConfig(Duration.ofMillis(100), Duration.ofMillis(100), 1, 1),
                List.of(new PortGroup("G", OptionalInt.of(base), brokers)));
        PortmapGateway gateway = PortmapGateway.start(config, registry);
        resources.add(gateway);
        await(() -> gateway.readiness().isReady(), "gateway ready");
        return gateway;
    }

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(GATEWAY, port), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String readLine(Socket socket) throws Exception {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void halfCloseCarriesTheClientsFinAndTheAnswerStillComesBack() throws Exception {
        TestUpstream counter = upstream("counter", TestUpstream.Behaviour.COUNT_UNTIL_EOF);
        int base = TestPorts.freeRun(GATEWAY, 2);
        gateway(base, Duration.ofSeconds(1), counter);

        try (Socket socket = connect(base + 1)) {
            assertThat(readLine(socket)).isEqualTo("counter");
            socket.getOutputStream().write(new byte[300_000]);
            socket.shutdownOutput();
            // The upstream answers only after it has seen end of input: so the FIN went through, and the
            // reverse direction stayed open for the answer.
            assertThat(readLine(socket)).isEqualTo("got 300000 bytes");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aLargeTransferArrivesIntactUnderBackPressure() throws Exception {
        TestUpstream echo = upstream("echo", TestUpstream.Behaviour.ECHO);
        int base = TestPorts.freeRun(GATEWAY, 2);
        PortmapGateway gateway = gateway(base, Duration.ofSeconds(1), echo);
        byte[] data = new byte[64 * 1024 * 1024];
        new Random(42).nextBytes(data);

        try (Socket socket = connect(base + 1)) {
            assertThat(readLine(socket)).isEqualTo("echo");
            // Write everything before reading anything for a while: the gateway must stop reading from the
            // client rather than buffer 64 MiB.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < data.length; off += 1 << 20) {
                        out.write(data, off, 1 << 20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            byte[] back = new byte[data.length];
            new DataInputStream(socket.getInputStream()).readFully(back);
            writer.get();
            assertThat(MessageDigest.getInstance("SHA-256").digest(back))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
        assertThat(registry.get("brokerlink.gateway.bytes").tags("listener", "G/b1", "direction", "to_upstream")
                .counter().count()).isEqualTo(data.length);
        assertThat(registry.get("brokerlink.gateway.bytes").tags("listener", "G/b1", "direction", "to_client")
                .counter().count()).isEqualTo(data.length + "echo\n".length());
        assertThat(gateway.openConnections()).isLessThanOrEqualTo(1);
    }

    @Test
    void aPeerResetClosesOnlyThatConnection() throws Exception {
        TestUpstream echo = upstream("echo", TestUpstream.Behaviour.ECHO);
        int base = TestPorts.freeRun(GATEWAY, 2);
        PortmapGateway gateway = gateway(base, Duration.ofSeconds(1), echo);

        try (Socket survivor = connect(base + 1); Socket victim = connect(base + 1)) {
            assertThat(readLine(survivor)).isEqualTo("echo");
            assertThat(readLine(victim)).isEqualTo("echo");
            victim.setSoLinger(true, 0);
            victim.close(); // RST instead of FIN
            await(() -> gateway.openConnections() == 1 && echo.openConnections() == 1, "only the reset one closed");

            survivor.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(survivor)).isEqualTo("still here");
        }
    }

    @Test
    void anUnhealthyBrokersPortClosesNewConnectionsAtOnceAndBootstrapSkipsIt() throws Exception {
        TestUpstream alive = upstream("alive", TestUpstream.Behaviour.ECHO);
        TestUpstream dying = upstream("dying", TestUpstream.Behaviour.ECHO);
        int base = TestPorts.freeRun(GATEWAY, 3);
        PortmapGateway gateway = gateway(base, Duration.ofSeconds(1), alive, dying);

        // Round robin while both are healthy: four bootstrap connections reach both members.
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (Socket s = connect(base)) {
                reached.add(readLine(s));
            }
        }
        assertThat(reached).containsOnly("alive", "dying").contains("alive", "dying");

        dying.close();
        await(() -> gateway.status().brokers().get(1).health().equals("unhealthy"), "dying marked unhealthy");

        long start = System.nanoTime();
        try (Socket s = connect(base + 2)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            // a close with unread data may arrive as a reset: still closed at once
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(registry.get("brokerlink.gateway.connections.rejected")
                .tags("listener", "G/b2", "reason", "broker_unhealthy").counter().count()).isEqualTo(1);

        for (int i = 0; i < 4; i++) {
            try (Socket s = connect(base)) {
                assertThat(readLine(s)).isEqualTo("alive");
            }
        }
    }

    @Test
    void gracefulShutdownStopsAcceptingAndClosesQuietConnections() throws Exception {
        TestUpstream echo = upstream("echo", TestUpstream.Behaviour.ECHO);
        int base = TestPorts.freeRun(GATEWAY, 2);
        PortmapGateway gateway = gateway(base, Duration.ofSeconds(5), echo);
        Socket idle = connect(base + 1);
        resources.add(idle);
        assertThat(readLine(idle)).isEqualTo("echo");

        long start = System.nanoTime();
        gateway.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(3)); // the quiet connection did not wait for the 5 s timeout
        assertThat(idle.getInputStream().read()).isEqualTo(-1);
        assertThat(gateway.readiness().isReady()).isFalse();
        try (Socket refused = new Socket()) {
            refused.connect(new InetSocketAddress(GATEWAY, base + 1), 1000);
            assertThat(refused.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.ConnectException expected) {
            assertThat(expected).hasMessageContaining("refused");
        }
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

}
