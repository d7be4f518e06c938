package io.brokerlink.gateway.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * One Kafka request frame as a client sent it: int32 size, then the request header (api key, api version,
 * correlation id, client id, ...) and body. Holds a whole frame or nothing: the size field equals the bytes after it.
 */
record RequestFrame(byte[] bytes) {

    /** size, api key, api version, correlation id: the least a request frame has. */
    static final int MIN_BYTES = 4 + 2 + 2 + 4;
    static final int API_KEY_OFFSET = 4;
    static final int API_VERSION_OFFSET = 6;
    static final int CORRELATION_ID_OFFSET = 8;
    static final int CLIENT_ID_OFFSET = 12;

    RequestFrame {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("a request frame has at least " + MIN_BYTES + " bytes, this one "
                    + bytes.length);
        }
        int size = ByteBuffer.wrap(bytes).getInt(0);
        if (size != bytes.length - 4) {
            throw new IllegalArgumentException("size field says " + size + " but " + (bytes.length - 4)
                    + " bytes follow it");
        }
    }

    short apiKey() {
        return ByteBuffer.wrap(bytes).getShort(API_KEY_OFFSET);
    }

    short apiVersion() {
        return ByteBuffer.wrap(bytes).getShort(API_VERSION_OFFSET);
    }

    /** For messages: {@code Metadata v12}, or the raw key when this kafka-clients does not know it. */
    String apiName() {
        short key = apiKey();
        return (ApiKeys.hasId(key) ? ApiKeys.forId(key).name : "api key " + key) + " v" + apiVersion();
    }

    /** The frame with every byte after the size field as given, and the size field recomputed. */
    static RequestFrame withBody(byte[] afterSize) {
        return new RequestFrame(ByteBuffer.allocate(4 + afterSize.length).putInt(afterSize.length).put(afterSize)
                .array());
    }

    /**
     * Splits one direction of a connection into frames. Bytes after the last whole frame (a connection cut in
     * the middle of a request) are dropped; so is anything after a size that cannot be a request.
     */
    static List<RequestFrame> split(byte[] stream) {
        List<RequestFrame> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.remaining() >= 4) {
            int size = in.getInt(in.position());
            if (size < MIN_BYTES - 4 || size > in.remaining() - 4) {
                break;
            }
            byte[] frame = new byte[4 + size];
            in.get(frame);
            frames.add(new RequestFrame(frame));
        }
        return frames;
    }
}
