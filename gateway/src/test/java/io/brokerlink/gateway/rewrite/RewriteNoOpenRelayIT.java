package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestUtils;
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
        base = RewriteModeIT.freeOnAll(3, GATEWAY);
        gateway = RewriteGateway.start(new RewriteConfig(
                new CommonSettings(AdminConfig.DEFAULT, Duration.ofMillis(500), 10_000),
                Arrays.stream(cluster.internalBootstrap().split(",")).map(s -> HostPort.parse(s, 1)).toList(),
                GATEWAY, List.of(), new RewriteConfig.DynamicRange(1, base, 0, 3),
                new RewriteConfig.Advertised(null, GATEWAY, Map.of()), Duration.ofSeconds(5), null, 0,
                FetchEndpointsMode.SCAN), new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (canary != null) {
            canary.close();
        }
    }

    @Test
    void clientBytesNamingAnotherAddressNeverMakeTheGatewayConnectThere() throws Exception {
        String host = CANARY;
        int port = canary.getLocalPort();
        String address = host + ":" + port;
        Map<String, byte[]> attempts = new LinkedHashMap<>();
        attempts.put("HTTP CONNECT", ("CONNECT " + address + " HTTP/1.1\r\nHost: " + address + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        attempts.put("PROXY v1", ("PROXY TCP4 " + host + " " + host + " 40000 " + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        attempts.put("SOCKS5", socks5Connect(host, port));
        attempts.put("Kafka Metadata response naming the canary", metadataResponseNaming(host, port));
        attempts.put("Kafka Metadata request naming the canary", metadataRequestNaming(address));
        attempts.put("TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
        for (Map.Entry<String, byte[]> attempt : attempts.entrySet()) {
            for (int gatewayPort = base; gatewayPort < base + 3; gatewayPort++) {
                try (Socket s = new Socket(GATEWAY, gatewayPort)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(attempt.getValue());
                    s.shutdownOutput(); // whatever the gateway waits for, nothing more comes
                    assertThat(closedByTheGateway(s)).as(attempt.getKey() + " on port " + gatewayPort).isTrue();
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

    /** True when the gateway ends the connection (end of stream or reset) within the socket's timeout. */
    static boolean closedByTheGateway(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() != -1) {
                // a broker's answer to a frame that parsed: not the canary's
            }
            return true;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static byte[] socks5Connect(String host, int port) {
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

    /** A Metadata response listing the canary as broker 1, sent where a request belongs. */
    static byte[] metadataResponseNaming(String host, int port) {
        MetadataResponseData body = new MetadataResponseData();
        body.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost(host).setPort(port));
        return frame(RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(1), (short) 1, body, (short) 12));
    }

    /** A well-formed Metadata request whose topic and client id name the canary's address. */
    static byte[] metadataRequestNaming(String address) {
        MetadataRequestData body = new MetadataRequestData();
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(address.replace(':', '_')));
        short version = 12;
        return frame(RequestUtils.serialize(new RequestHeaderData().setRequestApiKey(ApiKeys.METADATA.id)
                .setRequestApiVersion(version).setCorrelationId(1).setClientId(address),
                ApiKeys.METADATA.requestHeaderVersion(version), body, version));
    }

    static byte[] frame(ByteBuffer encoded) {
        return ByteBuffer.allocate(4 + encoded.remaining()).putInt(encoded.remaining()).put(encoded).array();
    }
}
