package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.Test;

/**
 * No open relay: whatever a client sends (proxy protocols naming another address, a Kafka response that names one,
 * a TLS ClientHello), portmap connects only to the target its configuration names for that port.
 */
class PortmapNoOpenRelayIT {

    private static final String GATEWAY = "127.0.60.53";

    @Test
    void clientBytesNamingAnotherAddressNeverMakeTheGatewayConnectThere() throws Exception {
        try (TestUpstream broker = new TestUpstream("broker", "127.0.60.61", TestUpstream.Behaviour.ECHO);
             TestUpstream canary = new TestUpstream("canary", "127.0.60.62", TestUpstream.Behaviour.ECHO)) {
            String[] hostPort = canary.address().split(":");
            String host = hostPort[0];
            int port = Integer.parseInt(hostPort[1]);
            int base = TestPorts.freeRun(GATEWAY, 2);
            try (PortmapGateway gateway = (PortmapGateway) Gateway.start(GatewayConfigLoader.load("relay.yaml", """
                    mode: portmap
                    bind-address: %s
                    drain-timeout-ms: 0
                    groups:
                      - name: EXTERNAL
                        bootstrap-port: %d
                        brokers: [{node-id: 1, listen-port: %d, target: "%s"}]
                    """.formatted(GATEWAY, base, base + 1, broker.address())), new SimpleMeterRegistry())) {
                PortmapRelayIT.await(() -> gateway.readiness().isReady(), "gateway ready");
                Map<String, byte[]> attempts = new LinkedHashMap<>();
                attempts.put("HTTP CONNECT", ("CONNECT " + canary.address() + " HTTP/1.1\r\nHost: "
                        + canary.address() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                attempts.put("PROXY v1", ("PROXY TCP4 " + host + " " + host + " 40000 " + port + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                attempts.put("SOCKS5", socks5Connect(host, port));
                attempts.put("Kafka Metadata naming the canary", metadataNaming(host, port));
                attempts.put("TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
                int connections = 0;
                for (Map.Entry<String, byte[]> attempt : attempts.entrySet()) {
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

    private static byte[] socks5Connect(String host, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x05, 0x01, 0x00}); // greeting: no authentication
        out.writeBytes(new byte[] {0x05, 0x01, 0x00, 0x01}); // CONNECT to an IPv4 address
        for (String octet : host.split("\\.")) {
            out.write(Integer.parseInt(octet));
        }
        out.write(port >> 8);
        out.write(port & 0xff);
        return out.toByteArray();
    }

    private static byte[] metadataNaming(String host, int port) {
        MetadataResponseData body = new MetadataResponseData();
        body.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost(host).setPort(port));
        ByteBuffer encoded = RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(1), (short) 1, body,
                (short) 12);
        return ByteBuffer.allocate(4 + encoded.remaining()).putInt(encoded.remaining()).put(encoded).array();
    }
}
