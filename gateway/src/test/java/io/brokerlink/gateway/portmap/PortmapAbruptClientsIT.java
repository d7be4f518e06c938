package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.testkit.Eventually;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Clients that leave while their upstream connection is still being made (found by GatewayFuzzIT: a reset or FIN
 * right after connecting made the connect listener's {@code setAutoRead(true)} fail inside epoll, and each such
 * connection logged a WARN with a stack trace). A client leaving early is ordinary I/O: closed quietly, counted.
 */
class PortmapAbruptClientsIT {

    private static final String GATEWAY = "127.0.20.62";

    @Test
    void clientsThatResetOrCloseRightAfterConnectingAreClosedWithoutWarnings() throws Exception {
        try (TestUpstream echo = new TestUpstream("echo", "127.0.20.63", TestUpstream.Behaviour.ECHO);
             LogCapture logs = LogCapture.of("io.brokerlink.gateway", "io.netty")) {
            int base = FreePorts.consecutive(GATEWAY, 2);
            PortmapConfig config = new PortmapConfig(
                    new CommonSettings(new AdminConfig(new HostPort("127.0.0.1", 0)), Duration.ofSeconds(1), 1000),
                    GATEWAY, new HealthCheckConfig(Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 3),
                    List.of(new PortGroup("G", OptionalInt.empty(), List.of(new BrokerRoute(1, base + 1,
                            HostPort.parse(echo.address(), 1), Optional.empty())))));
            try (PortmapGateway gateway = PortmapGateway.start(config, new SimpleMeterRegistry())) {
                Eventually.await(() -> gateway.readiness().isReady(), "gateway ready");
                int mark = logs.size();
                for (int i = 0; i < 400; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(GATEWAY, base + 1), 2000);
                        OutputStream out = s.getOutputStream();
                        if (i % 2 == 0) {
                            out.write(new byte[] {0, 0, 0, 5, 1, 2});
                        }
                        switch (i % 4) {
                            case 0, 1 -> s.setSoLinger(true, 0); // reset
                            case 2 -> s.shutdownOutput(); // FIN, then close
                            default -> { } // plain close
                        }
                    } catch (IOException e) {
                        // the gateway may close first: what matters is what it logs
                    }
                }
                // The same port still relays: the early leavers closed only themselves.
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(GATEWAY, base + 1), 2000);
                    s.setSoTimeout(10_000);
                    assertThat(new String(s.getInputStream().readNBytes(5))).isEqualTo("echo\n");
                }
                Eventually.await(() -> gateway.openConnections() == 0, "every connection closed");
                assertThat(logs.linesSince(mark)).as("WARN/ERROR lines and stack traces for clients leaving early")
                        .filteredOn(l -> !l.startsWith("DEBUG") && !l.startsWith("INFO") || l.contains("\n"))
                        .isEmpty();
            }
        }
    }
}
