package io.brokerlink.gateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;

/** Kafka frames written and read on a plain socket, for tests that speak the protocol without a client. */
public final class KafkaFrames {

    private KafkaFrames() {
    }

    /** {@code encoded} (a header and body) behind its 4-byte size, as it travels on the wire. */
    public static byte[] sizePrefixed(ByteBuffer encoded) {
        return ByteBuffer.allocate(4 + encoded.remaining()).putInt(encoded.remaining()).put(encoded).array();
    }

    /** An ApiVersions v0 request: the one request every broker answers before anything else. */
    public static byte[] apiVersionsRequest(int correlationId) {
        return sizePrefixed(new ApiVersionsRequest.Builder().build((short) 0).serializeWithHeader(
                new RequestHeader(ApiKeys.API_VERSIONS, (short) 0, "brokerlink-test", correlationId)));
    }

    /** Reads one whole response frame and returns its correlation id. */
    public static int readResponseCorrelationId(InputStream in) throws IOException {
        int size = ByteBuffer.wrap(in.readNBytes(4)).getInt();
        byte[] body = in.readNBytes(size);
        assertThat(body).hasSize(size);
        return ByteBuffer.wrap(body).getInt();
    }

    /** One ApiVersions request and its whole response, matched by correlation id. */
    public static void apiVersionsRoundTrip(Socket s, int correlationId) throws IOException {
        s.getOutputStream().write(apiVersionsRequest(correlationId));
        assertThat(readResponseCorrelationId(s.getInputStream())).isEqualTo(correlationId);
    }
}
