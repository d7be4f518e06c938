package io.brokerlink.gateway.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One TLS handshake with a bootstrap server, to explain why the metadata client could not connect: Kafka's client
 * reports a PLAINTEXT listener as a timeout and a host-name mismatch deep in a stack trace, while an operator needs
 * the one sentence {@link UpstreamTlsFailure} makes of it.
 */
public final class UpstreamTlsProbe {

    private UpstreamTlsProbe() {
    }

    /** Empty when the handshake succeeds (or the address does not accept TCP at all: nothing TLS-specific to say). */
    public static Optional<String> diagnose(EventLoopGroup group, Class<? extends Channel> channelType,
                                            SslContext context, String host, int port, Duration timeout) {
        // Kept when the channel is set up: a broker that is not TLS fails the handshake and closes the channel at
        // once, which empties the pipeline, possibly before this thread looks for the handler there.
        AtomicReference<SslHandler> tlsHandler = new AtomicReference<>();
        Bootstrap b = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler tls = context.newHandler(ch.alloc(), host, port);
                        tls.setHandshakeTimeoutMillis(timeout.toMillis());
                        tlsHandler.set(tls);
                        ch.pipeline().addLast(tls, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // reported through the handshake future
                            }
                        });
                    }
                });
        ChannelFuture connect = b.connect(host, port);
        if (!connect.awaitUninterruptibly(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS) || !connect.isSuccess()) {
            connect.channel().close();
            return Optional.empty();
        }
        Channel ch = connect.channel();
        try {
            var handshake = tlsHandler.get().handshakeFuture();
            if (!handshake.awaitUninterruptibly(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                return Optional.of("broker at " + host + ":" + port + " did not complete a TLS handshake within "
                        + timeout.toMillis() + " ms");
            }
            return handshake.isSuccess() ? Optional.empty()
                    : Optional.of(UpstreamTlsFailure.describe("broker", host + ":" + port, handshake.cause()));
        } finally {
            ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }
}
