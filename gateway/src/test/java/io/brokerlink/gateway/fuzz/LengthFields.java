package io.brokerlink.gateway.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.CompactArrayOf;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;

/**
 * Where the length prefixes of a request are: every string, bytes, records and array count in the header and body,
 * found by walking kafka-clients' own schema for the frame's api key and version over the recorded bytes. Length
 * fields are where parsers trust the peer the most, so the mutators aim there.
 */
final class LengthFields {

    /** How a length is written: fixed int16/int32, or an unsigned varint of {@code bytes} bytes (compact types). */
    enum Width { INT16, INT32, UVARINT }

    /** One length prefix: at {@code offset} of the frame (size field included), {@code bytes} long. */
    record LengthField(int offset, Width width, int bytes, String name) {
        LengthField {
            if (offset < 4 || bytes < 1) {
                throw new IllegalArgumentException("a length field lies after the size prefix and has bytes, not "
                        + offset + "/" + bytes);
            }
        }
    }

    private LengthFields() {
    }

    /**
     * Every length prefix up to where the walk ends: the whole frame for a well-formed request of a version this
     * kafka-clients knows, the header alone (or nothing) otherwise.
     */
    static List<LengthField> of(RequestFrame frame) {
        List<LengthField> out = new ArrayList<>();
        short key = frame.apiKey();
        short version = frame.apiVersion();
        if (!ApiKeys.hasId(key) || !ApiKeys.forId(key).isVersionSupported(version)) {
            return out;
        }
        ApiKeys api = ApiKeys.forId(key);
        ByteBuffer in = ByteBuffer.wrap(frame.bytes());
        in.position(4);
        try {
            walk(RequestHeaderData.SCHEMAS[api.requestHeaderVersion(version)], in, out, "header");
            Schema body = api.messageType.requestSchemas()[version];
            if (body != null) {
                walk(body, in, out, "");
            }
        } catch (RuntimeException e) {
            // A frame that does not parse as its schema says: the fields found so far are still real ones.
        }
        return out;
    }

    private static void walk(Type type, ByteBuffer in, List<LengthField> out, String name) {
        int at = in.position();
        if (type instanceof Schema schema) {
            for (BoundField f : schema.fields()) {
                walk(f.def.type, in, out, name.isEmpty() ? f.def.name : name + "." + f.def.name);
            }
        } else if (type instanceof ArrayOf array) {
            int count = in.getInt();
            checkCount(count, in);
            out.add(new LengthField(at, Width.INT32, 4, name));
            for (int i = 0; i < count; i++) {
                walk(array.arrayElementType().orElseThrow(), in, out, name + "[" + i + "]");
            }
        } else if (type instanceof CompactArrayOf array) {
            int countPlusOne = readUnsignedVarint(in);
            checkCount(countPlusOne - 1, in);
            out.add(new LengthField(at, Width.UVARINT, in.position() - at, name));
            for (int i = 0; i < countPlusOne - 1; i++) {
                walk(array.arrayElementType().orElseThrow(), in, out, name + "[" + i + "]");
            }
        } else if (type instanceof TaggedFields) {
            readUnsignedVarint(in); // the tag count: a length too
            out.add(new LengthField(at, Width.UVARINT, in.position() - at, name + "(tags)"));
            in.position(at);
            type.read(in);
        } else if (type == Type.STRING || type == Type.NULLABLE_STRING) {
            out.add(new LengthField(at, Width.INT16, 2, name));
            type.read(in);
        } else if (type == Type.BYTES || type == Type.NULLABLE_BYTES || type == Type.RECORDS
                || type == Type.NULLABLE_RECORDS) {
            out.add(new LengthField(at, Width.INT32, 4, name));
            type.read(in);
        } else if (type == Type.COMPACT_STRING || type == Type.COMPACT_NULLABLE_STRING || type == Type.COMPACT_BYTES
                || type == Type.COMPACT_NULLABLE_BYTES || type == Type.COMPACT_RECORDS
                || type == Type.COMPACT_NULLABLE_RECORDS) {
            readUnsignedVarint(in);
            out.add(new LengthField(at, Width.UVARINT, in.position() - at, name));
            in.position(at);
            type.read(in);
        } else {
            type.read(in);
        }
    }

    /** Every element takes at least a byte: a larger count is not this schema's (stops the walk). */
    private static void checkCount(int count, ByteBuffer in) {
        if (count > in.remaining()) {
            throw new IllegalArgumentException("array of " + count + " with " + in.remaining() + " bytes left");
        }
    }

    static int readUnsignedVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    /** The unsigned varint encoding of {@code value} (1 to 5 bytes). */
    static byte[] unsignedVarint(int value) {
        ByteBuffer out = ByteBuffer.allocate(5);
        long v = value & 0xffffffffL;
        while ((v & ~0x7fL) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
