package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.netty.PeerIo;
import io.brokerlink.gateway.limits.IdleTimeout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of one proxied connection: matches each response to the oldest in-flight request (responses
 * come back in request order), rewrites the few that carry addresses and forwards everything else as the same
 * bytes. A response nobody asked for closes this connection pair only.
 *
 * <p>On epoll, a large response this gateway never rewrites (known from api key and version before its body
 * arrives: e.g. Fetch up to v15 with {@code fetch-endpoints: cap-v15}) is not collected: its first bytes are written
 * to the client and the rest is spliced from the broker's socket into the client's (Netty's {@code spliceTo} with
 * the exact byte count, so the next frame is read as usual). Not with TLS on either side: the bytes must pass the
 * SslHandler.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter implements KafkaFrameDecoder.SplicePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

    private final ClientConnection pair;

    UpstreamConnection(ClientConnection pair) {
        this.pair = pair;
    }

    @Override
    public int minSpliceBytes() {
        return KafkaFrameDecoder.MIN_SPLICE_BYTES;
    }

    /** Asked by this connection's frame decoder with the start of a response still arriving. */
    @Override
    public boolean mayPassUnchanged(ByteBuf frameStart) {
        int correlationId = frameStart.getInt(frameStart.readerIndex() + 4);
        InFlight request = pair.inFlight.peek();
        Channel client = pair.client;
        return request != null && !request.rawSaslToken() && request.correlationId() == correlationId
                && request.apiKey() != ApiKeys.SASL_HANDSHAKE.id
                && !pair.context.rewriter().mayRewrite(request.apiKey(), request.apiVersion())
                && !pair.splicing && client.isActive() && pair.upstream != null && !pair.tls()
                && client.pipeline().get(SslHandler.class) == null
                && pair.upstream.pipeline().get(SslHandler.class) == null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FrameHead head) {
            spliceResponse(ctx.channel(), head);
            return;
        }
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

    /**
     * Forwards the received start of a response, then splices the rest. The in-flight entry is done now (the next
     * frame on this connection is the next response); bytes, latency and a pending drain wait for the last byte.
     */
    @SuppressWarnings("deprecation") // spliceTo: deprecated in Netty 4.2; see docs/ARCHITECTURE.md, rewrite mode
    private void spliceResponse(Channel upstream, FrameHead head) {
        Channel client = pair.client;
        InFlight request = pair.inFlight.poll();
        if (!pair.draining) {
            pair.inFlightLimit.responseForwarded(client, pair.inFlight.size());
        }
        int remaining = head.remaining();
        ByteBuf received = head.content();
        pair.listener.meters.bytesToClient().increment(received.readableBytes());
        client.write(received, client.voidPromise()); // before the splice's writes: same outbound queue, in order
        pair.splicing = true;
        RewriteContext rc = pair.context;
        ((AbstractEpollStreamChannel) upstream).spliceTo((AbstractEpollStreamChannel) client, remaining)
                .addListener(done -> {
                    pair.splicing = false;
                    if (done.isSuccess()) {
                        pair.listener.meters.bytesToClient().increment(remaining);
                        rc.metrics().latency(request.apiKey(), System.nanoTime() - request.sentNanos());
                        rc.metrics().splicedResponse(request.apiKey());
                        IdleTimeout idle = client.pipeline().get(IdleTimeout.class);
                        if (idle != null) {
                            idle.trafficSeen(); // the spliced bytes passed no handler
                        }
                        pair.closeIfDrained();
                    } else if (client.isActive() && !upstream.isActive()) {
                        // Netty's splice does not say how far it got: the bytes still to come when it started.
                        brokerFault("the connection ended within a " + apiName(request.apiKey())
                                + " response, while its last " + remaining + " bytes were being spliced");
                    } else {
                        LOG.debug("splice to client {} ended: {}", client.remoteAddress(), done.cause().toString());
                        pair.closeBoth();
                    }
                });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        pair.client.flush();
        if (!pair.client.isWritable()) {
            // A finished splice turns reading back on by itself; the client's buffer decides, as for copied bytes.
            ctx.channel().config().setAutoRead(false);
        }
        pair.closeIfDrained();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        pair.updateReading();
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
