package io.brokerlink.gateway.tls;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after a client connection's {@code SslHandler}: a TLS failure (handshake or a broken record later) becomes one
 * WARN naming the client, the listener and the reason, with a hint for the usual causes, and the connection closes.
 * The Kafka handlers behind never see TLS errors, so they are not logged twice.
 */
public final class ClientTlsErrors extends TlsErrorStop {

    private static final Logger LOG = LoggerFactory.getLogger(ClientTlsErrors.class);

    private final String listener;
    private boolean reported;

    public ClientTlsErrors(String listener) {
        this.listener = listener;
    }

    @Override
    protected void report(ChannelHandlerContext ctx, boolean handshakeDone, String reason) {
        if (!reported) {
            reported = true;
            LOG.warn("{} with client {} on listener {} failed: {}{}", handshakeDone ? "TLS session" : "TLS handshake",
                    ctx.channel().remoteAddress(), listener, reason, hint(reason));
        }
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
