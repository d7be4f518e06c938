package io.brokerlink.gateway.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of a TLS listener's connection: looks at the first bytes once. A TLS record puts the
 * {@link SslHandler} of the context current at that moment in its place (so a reloaded certificate reaches every new
 * connection) followed by {@link ClientTlsErrors}. A Kafka request header (size, then a known api key and version)
 * means the client was configured for PLAINTEXT: one WARN saying exactly that, and the connection closes, where the
 * TLS engine would only report "not an SSL/TLS record". Anything else is closed with a WARN too.
 */
public final class PlaintextOnTlsDetector extends ByteToMessageDecoder {

    /** Pipeline names, so other handlers can find or place themselves around TLS. */
    public static final String TLS_HANDLER = "tls";
    public static final String TLS_ERRORS = "tls-errors";

    private static final Logger LOG = LoggerFactory.getLogger(PlaintextOnTlsDetector.class);
    /** A TLS record header is five bytes; a Kafka request header needs eight to show api key and version. */
    private static final int TLS_HEADER = 5;
    private static final int KAFKA_HEADER = 8;

    private final String listener;
    private final Supplier<SslContext> context;

    public PlaintextOnTlsDetector(String listener, Supplier<SslContext> context) {
        this.listener = listener;
        this.context = context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < TLS_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            SslHandler tls = context.get().newHandler(ctx.alloc());
            ctx.pipeline().addAfter(ctx.name(), TLS_HANDLER, tls);
            ctx.pipeline().addAfter(TLS_HANDLER, TLS_ERRORS, new ClientTlsErrors(listener));
            ctx.pipeline().remove(this); // the bytes held here go on to the TLS handler
            return;
        }
        if (in.readableBytes() < KAFKA_HEADER) {
            return;
        }
        String request = kafkaRequest(in);
        in.skipBytes(in.readableBytes());
        if (request != null) {
            LOG.warn("client {} sent a plaintext Kafka request ({}) to TLS listener {}: the client uses "
                    + "security.protocol=PLAINTEXT (or SASL_PLAINTEXT); set SSL (or SASL_SSL) and a trust store",
                    ctx.channel().remoteAddress(), request, listener);
        } else {
            LOG.warn("client {} sent bytes that are neither TLS nor a Kafka request to TLS listener {}; closing",
                    ctx.channel().remoteAddress(), listener);
        }
        ctx.close();
    }

    /**
     * The connection ended before a TLS record header or a Kafka request header was complete: said in one WARN, so
     * the bytes do not vanish with this handler.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            LOG.warn("client {} closed its connection to TLS listener {} after {} byte(s), too few for a TLS record "
                    + "header or a Kafka request header", ctx.channel().remoteAddress(), listener, in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }

    /** {@code ApiVersions v3} when the bytes start like a Kafka request header, else null. */
    static String kafkaRequest(ByteBuf in) {
        int at = in.readerIndex();
        int size = in.getInt(at);
        short apiKey = in.getShort(at + 4);
        short version = in.getShort(at + 6);
        if (size < 8 || !ApiKeys.hasId(apiKey)) {
            return null;
        }
        ApiKeys api = ApiKeys.forId(apiKey);
        if (version < 0 || version > api.latestVersion(true)) {
            return null;
        }
        return api.name + " v" + version;
    }
}
