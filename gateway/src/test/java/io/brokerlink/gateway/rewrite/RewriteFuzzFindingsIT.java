package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.GatewayStatus;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.FuzzTargetYaml;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Inputs GatewayFuzzIT found mishandled in rewrite mode, each replayed on its own against a real cluster whose
 * EXTERNAL listener wants SASL PLAIN (the gateway's address-keyed port in front of it) and whose INTERNAL listener
 * is plaintext (the dynamic ports).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteFuzzFindingsIT {

    static final String GATEWAY = "127.0.110.70";
    static final SecureListeners.KafkaUser USER = new SecureListeners.KafkaUser("finder", "finder-secret");

    SandboxCluster cluster;
    RunningGateway gateway;
    LogCapture logs;
    int base;

    @BeforeAll
    void start() {
        SandboxCluster.Builder builder = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.110.61")
                .listenerSecurity("EXTERNAL", "SASL_PLAINTEXT");
        SecureListeners.sasl(builder, "EXTERNAL", List.of(USER));
        cluster = builder.start();
        base = FreePorts.consecutive(GATEWAY, 4);
        gateway = Gateway.start(GatewayConfigLoader.load("rewrite.yaml",
                FuzzTargetYaml.rewrite(GATEWAY, base, cluster, "")), new SimpleMeterRegistry());
        logs = LogCapture.of("io.brokerlink.gateway", "io.netty");
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(logs, gateway, cluster);
    }

    /**
     * Found: SaslHandshake v0 and the raw PLAIN token written together. The gateway decided "raw tokens follow" only
     * when the handshake answer came back, so the token, read first, was taken for a request (api key 102); the
     * broker's empty token answer then failed as "shorter than a response header" and the login was cut. The broker
     * itself reads the two in order either way.
     */
    @Test
    void aSaslV0TokenSentWithoutWaitingForTheHandshakeAnswerIsForwardedAsARawToken() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Socket s = connect(base + 3)) {
                int mark = logs.size();
                OutputStream out = s.getOutputStream();
                out.write(concat(request(ApiKeys.SASL_HANDSHAKE, (short) 0, 1,
                                new SaslHandshakeRequestData().setMechanism("PLAIN")),
                        sizePrefixed(("\0" + USER.name() + "\0" + USER.password()).getBytes(StandardCharsets.UTF_8))));
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                ByteBuffer handshake = readFrame(in);
                assertThat(handshake.getInt()).as("handshake answer's correlation id").isEqualTo(1);
                assertThat(handshake.getShort()).as("handshake error code").isZero();
                assertThat(readFrame(in).remaining()).as("PLAIN's answer to the raw token: empty").isZero();

                // Logged in: a request after the login is a request again, and its addresses are rewritten.
                out.write(request(ApiKeys.METADATA, (short) 12, 2, new MetadataRequestData().setTopics(List.of())));
                out.flush();
                ByteBuffer metadata = readFrame(in);
                ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(metadata),
                        ApiKeys.METADATA.responseHeaderVersion((short) 12));
                assertThat(header.correlationId()).isEqualTo(2);
                MetadataResponseData body = new MetadataResponseData(new ByteBufferAccessor(metadata), (short) 12);
                assertThat(body.brokers()).hasSize(3).allMatch(b -> b.host().equals(GATEWAY));
                assertThat(logs.linesSince(mark)).as("gateway lines about this login").isEmpty();
            }
        }
    }

    /**
     * Found: one or two bytes, then end of stream. The TLS detector waits for three bytes, and at end of stream
     * dropped the bytes it held: the connection closed without the WARN every malformed input gets.
     */
    @Test
    void oneOrTwoBytesThenEndOfStreamAreReportedAsATruncatedFrame() throws Exception {
        for (int n = 1; n <= 3; n++) {
            int mark = logs.size();
            int port;
            try (Socket s = connect(base)) {
                port = s.getLocalPort();
                s.getOutputStream().write(new byte[n]);
                s.shutdownOutput();
                assertThat(s.getInputStream().read()).as("closed by the gateway").isEqualTo(-1);
            }
            int bytes = n;
            awaitLine(mark, l -> l.startsWith("WARN") && l.contains(":" + port + " ")
                    && l.contains("truncated frame: the connection ended after " + bytes + " bytes"));
        }
    }

    /**
     * Found in portmap (PortmapAbruptClientsIT): a client that resets or closes while its upstream connection is
     * being made; epoll reports the gone socket from setAutoRead(true) as an UncheckedIOException, which was logged
     * as an unexpected error with a stack trace. Rewrite mode makes the same call after its broker connect; this
     * did not reproduce here before the fix, and guards that it does not start to.
     */
    @Test
    void clientsLeavingWhileTheirBrokerConnectionIsMadeAreClosedQuietly() throws Exception {
        int mark = logs.size();
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(GATEWAY, base + i % 3), 2000);
                if (i % 2 == 0) {
                    s.getOutputStream().write(new byte[] {0, 0, 0, 20, 0, 18});
                }
                if (i % 3 == 0) {
                    s.setSoLinger(true, 0);
                } else if (i % 3 == 1) {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // the gateway may have closed first
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openConnections()).as("open connections after every client left").isZero();
        assertThat(logs.linesSince(mark)).as("unexpected errors, stack traces or Netty warnings")
                .filteredOn(l -> l.contains("unexpected error") || l.contains("\n") || l.startsWith("ERROR")
                        || l.split(" ", 3)[1].startsWith("io.netty"))
                .isEmpty();
    }

    int openConnections() {
        return gateway.status().listeners().stream().mapToInt(GatewayStatus.ListenerStatus::openConnections).sum();
    }

    void awaitLine(int mark, java.util.function.Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (logs.linesSince(mark).stream().noneMatch(matches)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line in " + logs.linesSince(mark));
            }
            Thread.sleep(50);
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(GATEWAY, port), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    static byte[] request(ApiKeys api, short version, int correlationId, ApiMessage body) {
        ByteBuffer b = RequestUtils.serialize(new RequestHeaderData().setRequestApiKey(api.id)
                        .setRequestApiVersion(version).setCorrelationId(correlationId).setClientId("finder"),
                api.requestHeaderVersion(version), body, version);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return sizePrefixed(bytes);
    }

    static byte[] sizePrefixed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    static ByteBuffer readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return ByteBuffer.wrap(frame);
    }
}
