package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.tls.TlsErrorStop;
import io.brokerlink.gateway.tls.UpstreamTlsFailure;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Right after the broker connection's {@link SslHandler}: a failed handshake is reported once by
 * {@link ClientConnection} (from the handshake future, with the reason worded by {@link UpstreamTlsFailure}), so its
 * exception stops here; a TLS error later in the session closes the pair with the reason. Other errors go on to
 * {@link UpstreamConnection}.
 */
final class UpstreamTlsErrors extends TlsErrorStop {

    private final ClientConnection pair;

    UpstreamTlsErrors(ClientConnection pair) {
        this.pair = pair;
    }

    @Override
    protected void report(ChannelHandlerContext ctx, boolean handshakeDone, String reason) {
        if (handshakeDone) {
            pair.fail("TLS error from " + pair.broker() + ": " + reason);
        }
    }
}
