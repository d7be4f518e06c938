package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;

/**
 * Reads Kafka primitive types at absolute positions of a frame without moving its indices or copying. Used only
 * where the generated classes would cost too much (request headers on the hot path, skipping Fetch records).
 */
final class WireCursor {

    private final ByteBuf buf;
    private final int end;
    private int pos;

    WireCursor(ByteBuf buf, int pos) {
        this.buf = buf;
        this.pos = pos;
        this.end = buf.writerIndex();
    }

    int position() {
        return pos;
    }

    short int16() {
        need(2);
        short v = buf.getShort(pos);
        pos += 2;
        return v;
    }

    int int32() {
        need(4);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    void skip(int n) {
        if (n < 0) {
            throw new IllegalStateException("negative length " + n + " at offset " + pos);
        }
        need(n);
        pos += n;
    }

    int unsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            need(1);
            byte b = buf.getByte(pos++);
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("varint longer than 5 bytes at offset " + pos);
    }

    /** Skips a nullable string with an int16 length (non-flexible versions). */
    void skipString16() {
        int len = int16();
        if (len > 0) {
            skip(len);
        }
    }

    /** Skips a compact (flexible) nullable string or bytes: unsigned varint length + 1. */
    void skipCompact() {
        int lenPlusOne = unsignedVarint();
        if (lenPlusOne > 1) {
            skip(lenPlusOne - 1);
        }
    }

    /** Skips a tagged-field section. */
    void skipTaggedFields() {
        int count = unsignedVarint();
        for (int i = 0; i < count; i++) {
            unsignedVarint();
            skip(unsignedVarint());
        }
    }

    /** Compared as {@code n > end - pos}: a length near Integer.MAX_VALUE from the wire must not wrap around. */
    private void need(int n) {
        if (n > end - pos) {
            throw new IllegalStateException("frame ends at offset " + end + ", needed " + n + " more bytes at " + pos);
        }
    }
}
