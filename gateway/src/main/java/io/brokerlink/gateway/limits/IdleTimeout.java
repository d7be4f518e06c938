package io.brokerlink.gateway.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection after {@code idle-timeout-ms} without a byte read from or written to the client. On the
 * client channel both directions show: requests are read from it, responses are written to it. Bytes that bypass the
 * pipeline (splice) are reported through {@link #trafficSeen()}.
 */
public final class IdleTimeout extends IdleStateHandler {

    private final LimitMeters meters;
    private final String listener;
    private final Duration timeout;

    public IdleTimeout(Duration timeout, LimitMeters meters, String listener) {
        super(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        this.meters = meters;
        this.listener = listener;
        this.timeout = timeout;
    }

    /**
     * Bytes moved without passing through this pipeline (spliced in the kernel, or written to this channel from the
     * other side's event): they count as traffic too. Event loop only.
     */
    public void trafficSeen() {
        resetReadTimeout();
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        meters.hit(Limit.IDLE_TIMEOUT, listener, "closed " + ctx.channel().remoteAddress() + " after "
                + timeout.toMillis() + " ms without traffic");
        ctx.close();
    }
}
