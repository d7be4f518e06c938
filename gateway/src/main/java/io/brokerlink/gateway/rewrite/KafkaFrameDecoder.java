package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits a byte stream into Kafka frames (int32 size, then that many bytes) and emits each frame, size prefix
 * included, as a retained slice of the received buffers: nothing is copied or decoded here. Composite cumulation
 * keeps a frame that spans reads (a large Fetch response) uncopied as well.
 *
 * <p>On a connection that may splice, a large frame that passes unchanged is not held whole: once its header is in
 * (a response's correlation id, a Produce request's header and acks), what has arrived goes out as a
 * {@link FrameHead} and the rest of the frame is spliced by the next handler, so this decoder never sees those bytes
 * and starts again at the next frame.
 */
final class KafkaFrameDecoder extends ByteToMessageDecoder {

    /** Decides, from the start of a frame whose rest is still in the socket, whether that rest may bypass user space. */
    interface SplicePolicy {

        /** The fewest bytes still to come for which a splice is worth its fixed cost (tasks, promise, syscalls). */
        int minSpliceBytes();

        /**
         * @param frameStart the received start of the frame at its reader index, size prefix included (at least 8
         *                   bytes); the policy reads it with absolute gets and must not move its indices
         */
        boolean mayPassUnchanged(ByteBuf frameStart);
    }

    /**
     * Responses: below this many bytes still to come a frame is collected as usual: a splice costs a task, a promise
     * and two syscalls per pipe-full, cheaper than copying only when there is something to copy.
     */
    static final int MIN_SPLICE_BYTES = 32 * 1024;

    private final int maxFrameBytes;
    private final SplicePolicy splicing;

    KafkaFrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, null);
    }

    /** @param splicing null: every frame is collected whole */
    KafkaFrameDecoder(int maxFrameBytes, SplicePolicy splicing) {
        this.maxFrameBytes = maxFrameBytes;
        this.splicing = splicing;
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int size = in.getInt(in.readerIndex());
            if (size < 0) {
                throw new CorruptedFrameException("negative frame size " + size + looksLike(in));
            }
            if (size > maxFrameBytes) {
                throw new TooLongFrameException("frame size " + size + " exceeds the limit of " + maxFrameBytes
                        + " bytes" + looksLike(in));
            }
            if (in.readableBytes() < 4 + size) {
                int remaining = 4 + size - in.readableBytes();
                if (splicing != null && in.readableBytes() >= 8 && remaining >= splicing.minSpliceBytes()
                        && splicing.mayPassUnchanged(in)) {
                    // Everything buffered belongs to this frame (it is incomplete): it all goes first.
                    out.add(new FrameHead(in.readRetainedSlice(in.readableBytes()), remaining));
                }
                return;
            }
            out.add(in.readRetainedSlice(4 + size));
        }
    }

    /**
     * The most the next read from the socket should take so that it ends at most {@code headBytes} into a frame not
     * started yet: the rest of the frame being collected plus the next frame's head. Reads sized this way leave the
     * body of a large request in the kernel, where it can be spliced (see {@link FrameReadSizer}).
     */
    int bytesToNextHead(int headBytes) {
        ByteBuf buffered = internalBuffer();
        int have = buffered.readableBytes();
        if (have < 4) {
            return headBytes - have;
        }
        long frameEnd = 4L + buffered.getInt(buffered.readerIndex());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(frameEnd - have, 0) + headBytes);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (in.isReadable()) {
            int have = in.readableBytes();
            String expected = have >= 4 ? " of " + (4 + in.getInt(in.readerIndex())) : "";
            in.skipBytes(have);
            throw new CorruptedFrameException("truncated frame: the connection ended after " + have + expected + " bytes");
        }
    }

    /** Most garbage is another protocol spoken to the wrong port: say which, it is the likely fix. */
    private static String looksLike(ByteBuf in) {
        int i = in.readerIndex();
        if (in.readableBytes() >= 3 && in.getByte(i) == 0x16 && in.getByte(i + 1) == 0x03) {
            return " (the bytes are a TLS handshake: the client uses SSL but this listener is plaintext)";
        }
        if (in.readableBytes() >= 4) {
            String start = in.toString(i, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (start.equals("GET ") || start.equals("POST") || start.equals("HEAD") || start.equals("PUT ")) {
                return " (the bytes are an HTTP request: this is a Kafka port)";
            }
        }
        return "";
    }
}
