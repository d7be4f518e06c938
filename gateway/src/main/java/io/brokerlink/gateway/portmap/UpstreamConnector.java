package io.brokerlink.gateway.portmap;

import io.brokerlink.gateway.limits.Admission;
import io.brokerlink.gateway.limits.IdleTimeout;
import io.brokerlink.gateway.limits.Limit;
import io.brokerlink.gateway.metrics.ListenerMeters;
import io.brokerlink.gateway.netty.DataPath;
import io.brokerlink.gateway.netty.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.util.Locale;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of an accepted client: picks the upstream from the listener's route, connects to it on the client's
 * own event loop (no cross-thread hand-off afterwards), then hands both to a {@link SplicedConnection} (epoll) or
 * replaces itself with a {@link Relay} (NIO, splicing switched off, or no pipe to be had), as the upstream does.
 * The client is not read from until the upstream is connected; a failed connect tries the next candidate (bootstrap
 * ports) or closes.
 */
final class UpstreamConnector extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);

    private final PortmapGateway gateway;
    private final UpstreamRoute route;
    private final ListenerMeters meters;
    private ProxiedConnection connection;

    UpstreamConnector(PortmapGateway gateway, UpstreamRoute route, ListenerMeters meters) {
        this.gateway = gateway;
        this.route = route;
        this.meters = meters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        connection = new ProxiedConnection(client);
        meters.opened();
        if (gateway.closing()) {
            meters.rejected("shutting_down");
            client.closeFuture().addListener(f -> meters.closed());
            client.close();
            return;
        }
        if (gateway.admit(connection) instanceof Admission.Refused refused) {
            meters.rejected(refused.limit().name().toLowerCase(Locale.ROOT));
            gateway.limitMeters().hit(refused.limit(), meters.listener(), "refused " + client.remoteAddress()
                    + " (limit " + refused.value() + ")");
            client.closeFuture().addListener(f -> meters.closed());
            client.close();
            return;
        }
        client.closeFuture().addListener(f -> {
            meters.closed();
            gateway.forget(connection);
        });
        List<BrokerHealth> candidates = route.candidates();
        if (candidates.isEmpty()) {
            meters.rejected(route.unavailableReason());
            client.close();
            return;
        }
        connect(ctx, candidates, 0);
    }

    private void connect(ChannelHandlerContext ctx, List<BrokerHealth> candidates, int index) {
        Channel client = ctx.channel();
        BrokerHealth target = candidates.get(index);
        Bootstrap bootstrap = new Bootstrap().group(client.eventLoop())
                .channel(gateway.transport().socketChannel())
                .option(ChannelOption.ALLOCATOR, Transport.BUFFERS)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, PortmapGateway.WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, gateway.connectTimeoutMillis())
                .handler(new Relay(connection, client, meters.bytesToClient()));
        bootstrap.connect(target.target().unresolved()).addListener((ChannelFuture f) -> {
            if (!client.isActive()) {
                f.channel().close();
                return;
            }
            if (f.isSuccess()) {
                Channel upstream = f.channel();
                connection.upstream(upstream);
                // The relays also carry what Netty reads while the pair is handed over to splicing (it reads a
                // socket whose peer sent FIN even with autoRead off).
                ctx.pipeline().replace(this, "relay", new Relay(connection, upstream, meters.bytesToUpstream()));
                if (gateway.dataPath() == DataPath.SPLICE && splice(client, upstream)) {
                    return;
                }
                upstream.config().setAutoRead(true);
                client.config().setAutoRead(true);
                return;
            }
            meters.upstreamConnectFailed(target.target().toString());
            if (f.cause() instanceof ConnectTimeoutException) {
                gateway.limitMeters().hit(Limit.UPSTREAM_CONNECT_TIMEOUT, meters.listener(), "no connection to "
                        + target.target() + " within " + gateway.connectTimeoutMillis() + " ms for client "
                        + client.remoteAddress());
            }
            LOG.debug("{}: connect to {} failed: {}", meters.listener(), target.target(), f.cause().toString());
            if (index + 1 < candidates.size()) {
                connect(ctx, candidates, index + 1);
            } else {
                meters.rejected("upstream_connect_failed");
                client.close();
            }
        });
    }

    /** Hands the pair to a {@link SplicedConnection}; false (relay instead) when no pipe can be created. */
    private boolean splice(Channel client, Channel upstream) {
        try {
            connection.spliced(SplicedConnection.start(connection, client, upstream, meters,
                    client.pipeline().get(IdleTimeout.class)));
            return true;
        } catch (IOException e) {
            LOG.warn("{}: cannot splice client {}, relaying it through user space instead: {}", meters.listener(),
                    client.remoteAddress(), e.toString());
            return false;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: client {} failed before its upstream connected: {}", meters.listener(), ctx.channel(),
                cause.toString());
        ctx.close();
    }
}
