package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.tls.UpstreamTlsFailure;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLException;

/**
 * Right after the broker connection's {@link SslHandler}: a failed handshake is reported once by
 * {@link ClientConnection} (from the handshake future, with the reason worded by {@link UpstreamTlsFailure}), so its
 * exception stops here; a TLS error later in the session closes the pair with the reason. Other errors go on to
 * {@link UpstreamConnection}.
 */
final class UpstreamTlsErrors extends ChannelInboundHandlerAdapter {

    private final ClientConnection pair;

    UpstreamTlsErrors(ClientConnection pair) {
        this.pair = pair;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SSLException tls = UpstreamTlsFailure.find(cause, SSLException.class);
        if (tls == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        if (handler != null && handler.handshakeFuture().isSuccess()) {
            pair.fail("TLS error from " + pair.broker() + ": "
                    + UpstreamTlsFailure.rootMessage(tls));
        }
        ctx.close();
    }
}
