package io.brokerlink.gateway.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after a client connection's {@link SslHandler}: a TLS failure (handshake or a broken record later) becomes one
 * WARN naming the client, the listener and the reason, with a hint for the usual causes, and the connection closes.
 * The Kafka handlers behind never see TLS errors, so they are not logged twice.
 */
public final class ClientTlsErrors extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientTlsErrors.class);

    private final String listener;
    private boolean reported;

    public ClientTlsErrors(String listener) {
        this.listener = listener;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SSLException tls = UpstreamTlsFailure.find(cause, SSLException.class);
        if (tls == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (!reported) {
            reported = true;
            SslHandler handler = ctx.pipeline().get(SslHandler.class);
            boolean handshakeDone = handler != null && handler.handshakeFuture().isSuccess();
            String reason = UpstreamTlsFailure.rootMessage(tls);
            LOG.warn("{} with client {} on listener {} failed: {}{}", handshakeDone ? "TLS session" : "TLS handshake",
                    ctx.channel().remoteAddress(), listener, reason, hint(reason));
        }
        ctx.close();
    }

    private static String hint(String reason) {
        if (reason.contains("Empty client certificate chain") || reason.contains("certificate_required")) {
            return " (client-auth is required and the client sent no certificate: give it ssl.keystore.*)";
        }
        if (reason.contains("protocol versions") || reason.contains("protocol_version")) {
            return " (no TLS version in common: compare listener-tls.protocols with the client's ssl.enabled.protocols)";
        }
        if (reason.contains("certificate_unknown") || reason.contains("unknown_ca") || reason.contains("bad_certificate")) {
            return " (the client does not trust this listener's certificate, or it does not name the host the client "
                    + "dialled: check the client's trust store and the certificate's subject alternative names)";
        }
        if (reason.contains("no cipher suites in common") || reason.contains("handshake_failure")) {
            return " (no cipher suite in common: compare listener-tls.ciphers with the client's ssl.cipher.suites)";
        }
        return "";
    }
}
