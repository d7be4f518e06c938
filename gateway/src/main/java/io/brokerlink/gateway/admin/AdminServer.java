package io.brokerlink.gateway.admin;

import io.brokerlink.gateway.GatewayException;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.netty.Transport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves the admin endpoints on its own single thread, so that a slow scrape never delays the data plane. Started
 * before the gateway (it answers 503 on /readyz until {@code gateway} supplies a ready gateway).
 */
public final class AdminServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * @param gateway the running gateway, empty while it is still starting
     * @throws GatewayException when the address cannot be bound
     */
    public static AdminServer start(AdminConfig config, PrometheusMeterRegistry registry,
                                    Supplier<Optional<RunningGateway>> gateway) {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "brokerlink-admin");
        ChannelFuture bound = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                                new AdminHttpHandler(registry, gateway));
                    }
                })
                .bind(config.bind().host(), config.bind().port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new GatewayException("cannot listen on " + config.bind() + " for the admin endpoint: "
                    + bound.cause().getMessage() + "; choose another address with --admin-bind or admin-bind");
        }
        return new AdminServer(group, bound.channel());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
