package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.ReadyGateway;
import io.brokerlink.gateway.testkit.RelayAttempts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No open relay: whatever a client sends (proxy protocols naming another address, Kafka frames that name one,
 * a TLS ClientHello), portmap connects only to the target its configuration names for that port.
 */
class PortmapNoOpenRelayIT {

    private static final String GATEWAY = "127.0.60.53";

    @Test
    void clientBytesNamingAnotherAddressNeverMakeTheGatewayConnectThere() throws Exception {
        try (TestUpstream broker = new TestUpstream("broker", "127.0.60.61", TestUpstream.Behaviour.ECHO);
             TestUpstream canary = new TestUpstream("canary", "127.0.60.62", TestUpstream.Behaviour.ECHO)) {
            HostPort canaryAddress = HostPort.parse(canary.address(), 1);
            int base = FreePorts.consecutive(GATEWAY, 2);
            try (RunningGateway gateway = ReadyGateway.start("relay.yaml", """
                    mode: portmap
                    bind-address: %s
                    drain-timeout-ms: 0
                    groups:
                      - name: EXTERNAL
                        bootstrap-port: %d
                        brokers: [{node-id: 1, listen-port: %d, target: "%s"}]
                    """.formatted(GATEWAY, base, base + 1, broker.address()), new SimpleMeterRegistry())) {
                int connections = 0;
                for (Map.Entry<String, byte[]> attempt
                        : RelayAttempts.naming(canaryAddress.host(), canaryAddress.port()).entrySet()) {
                    for (int gatewayPort : new int[] {base, base + 1}) {
                        try (Socket s = new Socket(GATEWAY, gatewayPort)) {
                            s.setSoTimeout(5000);
                            s.getOutputStream().write(attempt.getValue());
                            // The configured upstream names itself, then echoes: proof of where the bytes went.
                            ByteArrayOutputStream expected = new ByteArrayOutputStream();
                            expected.writeBytes("broker\n".getBytes(StandardCharsets.US_ASCII));
                            expected.writeBytes(attempt.getValue());
                            assertThat(s.getInputStream().readNBytes(expected.size()))
                                    .as(attempt.getKey()).isEqualTo(expected.toByteArray());
                        }
                        connections++;
                    }
                }
                assertThat(canary.accepted).hasValue(0);
                // The configured broker got every client connection (and the health checks' connects besides).
                assertThat(broker.accepted.get()).isGreaterThanOrEqualTo(connections);
            }
        }
    }
}
