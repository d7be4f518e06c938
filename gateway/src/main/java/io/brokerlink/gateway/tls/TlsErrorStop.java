package io.brokerlink.gateway.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLException;

/**
 * Sits right after an {@link SslHandler}: a TLS exception ends here (the handlers behind never see it, so it is not
 * reported twice) and closes the connection, after {@link #report} has said why in the one place that knows whom to
 * tell. Other exceptions pass on.
 */
public abstract class TlsErrorStop extends ChannelInboundHandlerAdapter {

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SSLException tls = UpstreamTlsFailure.find(cause, SSLException.class);
        if (tls == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        report(ctx, handler != null && handler.handshakeFuture().isSuccess(), UpstreamTlsFailure.rootMessage(tls));
        ctx.close();
    }

    /**
     * Reports one TLS failure before the connection closes.
     *
     * @param handshakeDone false while the handshake runs (the failure is the handshake's), true for a broken record
     *                      later in the session
     * @param reason        the innermost message of the TLS exception
     */
    protected abstract void report(ChannelHandlerContext ctx, boolean handshakeDone, String reason);
}
