package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of a plaintext client connection: looks at the first three bytes once. A TLS record header carrying a
 * handshake (0x16, then version 0x03 0x00-0x04) means the client was configured for SSL or SASL_SSL; saying so
 * is the fix, where a frame-size error would send the operator hunting. Anything else passes on untouched and this
 * handler leaves the pipeline (the bytes it held go to the frame decoder).
 */
final class TlsOnPlaintextDetector extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TlsOnPlaintextDetector.class);
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_MAJOR = 0x03;
    private static final int TLS_HIGHEST_MINOR = 0x04;

    private final String listener;

    TlsOnPlaintextDetector(String listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 3) {
            return;
        }
        if (isTlsHandshake(in)) {
            in.skipBytes(in.readableBytes());
            LOG.warn("TLS handshake from {} on plaintext listener {}: the client uses security.protocol=SSL/SASL_SSL"
                    + " but this listener is PLAINTEXT", ctx.channel().remoteAddress(), listener);
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
    }

    /**
     * The connection ended before three bytes came: not TLS. Passed on so that the frame decoder reports the
     * truncated frame (with the WARN every malformed input gets) instead of the bytes vanishing with this handler.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }

    static boolean isTlsHandshake(ByteBuf in) {
        int i = in.readerIndex();
        return in.getUnsignedByte(i) == TLS_HANDSHAKE && in.getUnsignedByte(i + 1) == TLS_MAJOR
                && in.getUnsignedByte(i + 2) <= TLS_HIGHEST_MINOR;
    }
}
