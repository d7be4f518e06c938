package io.brokerlink.gateway.portmap;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.brokerlink.gateway.netty.PeerIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves bytes from the channel it sits on to {@code peer}: the buffer read is the buffer written (no copy), flushed
 * once per read batch. Back-pressure: when the peer's outbound buffer passes its high-water mark this side stops
 * reading until the peer drains. Half-close: end of input here becomes shutdownOutput on the peer once everything
 * before it is written.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final ProxiedConnection connection;
    private final Channel peer;
    private final Counter bytes;
    private long pendingBytes;

    Relay(ProxiedConnection connection, Channel peer, Counter bytes) {
        this.connection = connection;
        this.peer = peer;
        this.bytes = bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        pendingBytes += ((ByteBuf) msg).readableBytes();
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pendingBytes > 0) {
            bytes.increment(pendingBytes);
            pendingBytes = 0;
            connection.touch();
        }
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** This channel drained below its low-water mark: the peer may read (and so write to us) again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            Channel self = ctx.channel();
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture written) -> {
                if (peer.isActive() && peer instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput().addListener(done -> {
                        if (duplex.isInputShutdown()) {
                            connection.closeBoth();
                        }
                    });
                } else {
                    connection.closeBoth();
                }
            });
            if (self instanceof DuplexChannel duplex && duplex.isOutputShutdown()) {
                connection.closeBoth();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.closeBoth();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerIo.isPeerIo(cause)) {
            LOG.debug("connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("closing connection {}: {}", ctx.channel(), cause.toString(), cause);
        }
        connection.closeBoth();
    }
}
