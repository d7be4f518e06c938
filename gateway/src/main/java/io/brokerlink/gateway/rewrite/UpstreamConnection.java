package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.netty.PeerIo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of one proxied connection: matches each response to the oldest in-flight request (responses
 * come back in request order), rewrites the few that carry addresses and forwards everything else as the same
 * bytes. A response nobody asked for closes this connection pair only.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

    private final ClientConnection pair;

    UpstreamConnection(ClientConnection pair) {
        this.pair = pair;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        Channel client = pair.client;
        InFlight request = pair.inFlight.peek();
        if (request == null || !client.isActive()) {
            String correlationId = correlationId(frame);
            frame.release();
            if (client.isActive()) {
                brokerFault("the broker sent a response with unknown correlation id " + correlationId
                        + " while no request is in flight");
            }
            return;
        }
        int size = frame.readableBytes();
        if (!request.rawSaslToken()) {
            if (size < 8) {
                frame.release();
                brokerFault("the broker sent a " + (size - 4) + "-byte frame, shorter than a response header");
                return;
            }
            int correlationId = frame.getInt(frame.readerIndex() + 4);
            if (correlationId != request.correlationId()) {
                frame.release();
                brokerFault("the broker sent a response with unknown correlation id " + correlationId
                        + " (expected " + request.correlationId() + " for " + apiName(request.apiKey()) + ")");
                return;
            }
        }
        pair.inFlight.poll();
        if (!pair.draining) {
            pair.inFlightLimit.responseForwarded(client, pair.inFlight.size());
        }
        RewriteContext rc = pair.context;
        ByteBuf out = frame;
        if (!request.rawSaslToken()) {
            rc.metrics().latency(request.apiKey(), System.nanoTime() - request.sentNanos());
            if (request.apiKey() == ApiKeys.SASL_HANDSHAKE.id && request.apiVersion() == 0
                    && (size < 10 || frame.getShort(frame.readerIndex() + 8) != 0)) {
                pair.saslRawTokens = false; // refused: no raw tokens follow (ClientConnection set it optimistically)
            }
            if (rc.rewriter().mayRewrite(request.apiKey(), request.apiVersion())) {
                try {
                    ResponseRewriter.Outcome outcome = rc.rewriter().rewrite(request, frame, client.alloc());
                    out = outcome.frame();
                    if (outcome.rewritten()) {
                        rc.metrics().rewrite(request.apiKey());
                    }
                } catch (RuntimeException e) {
                    if (frame.refCnt() > 0) {
                        frame.release();
                    }
                    brokerFault("cannot decode the " + apiName(request.apiKey()) + " v" + request.apiVersion()
                            + " response: " + e);
                    return;
                }
            }
        }
        pair.listener.meters.bytesToClient().increment(out.readableBytes());
        client.write(out, client.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        pair.client.flush();
        pair.closeIfDrained();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Reading from the client resumes only if neither the in-flight limit nor a drain holds it.
        pair.client.config().setAutoRead(ctx.channel().isWritable() && !pair.inFlightLimit.paused() && !pair.draining);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel client = pair.client;
        if (client.isActive()) {
            if (!pair.inFlight.isEmpty()) {
                LOG.info("{} closed the connection of client {} with {} request(s) in flight (first: {})",
                        pair.broker(), client.remoteAddress(), pair.inFlight.size(),
                        apiName(pair.inFlight.peek().apiKey()));
            }
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            brokerFault(cause.getMessage());
        } else if (PeerIo.isPeerIo(cause)) {
            LOG.debug("broker connection of client {}: {}", pair.client.remoteAddress(), cause.toString());
            pair.closeBoth();
        } else {
            LOG.warn("broker connection of client {}: closing after an unexpected error", pair.client.remoteAddress(), cause);
            pair.closeBoth();
        }
    }

    private void brokerFault(String reason) {
        pair.fail("from " + pair.broker() + ": " + reason);
    }

    private static String correlationId(ByteBuf frame) {
        return frame.refCnt() > 0 && frame.readableBytes() >= 8 ? Integer.toString(frame.getInt(frame.readerIndex() + 4)) : "?";
    }

    private static String apiName(short key) {
        return ApiKeys.hasId(key) ? ApiKeys.forId(key).name : "api key " + key;
    }
}
