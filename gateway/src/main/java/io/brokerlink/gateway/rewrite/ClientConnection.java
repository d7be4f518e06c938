package io.brokerlink.gateway.rewrite;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.limits.Admission;
import io.brokerlink.gateway.limits.IdleTimeout;
import io.brokerlink.gateway.limits.InFlightRequestLimit;
import io.brokerlink.gateway.limits.Limit;
import io.brokerlink.gateway.netty.PeerIo;
import io.brokerlink.gateway.netty.Transport;
import io.brokerlink.gateway.tls.PlaintextOnTlsDetector;
import io.brokerlink.gateway.tls.UpstreamTlsFailure;
import io.brokerlink.gateway.netty.DataPath;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one proxied connection: reads request frames, notes what each one expects back (api key and
 * version by correlation id), and forwards the same bytes to the broker. Flushes once per read batch; stops
 * reading while the broker connection cannot take more (back-pressure). Both channels share one event loop, so
 * the in-flight queue needs no locking.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements KafkaFrameDecoder.SplicePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final int MIN_REQUEST = 4 + 8; // size, api key, version, correlation id
    /**
     * Fewest bytes of a Produce request still in the socket for which its record batches are spliced rather than
     * copied. Lower than for responses: a request's head read is at most {@link FrameReadSizer#HEAD_BYTES}, so a
     * producer's usual 16-32 KiB request (one or two full batches) leaves 14-30 KiB to splice.
     */
    static final int MIN_REQUEST_SPLICE_BYTES = 8 * 1024;
    /** A/B switch for the benchmark ({@code -Dbrokerlink.response-head-reads=false}: responses read 64 KiB at a time). */
    private static final boolean HEAD_READS = !"false".equals(System.getProperty("brokerlink.response-head-reads"));

    final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    final RewriteContext context;
    final BrokerListener listener;
    Channel client;
    Channel upstream;
    HostPort upstreamAddress;
    /**
     * After a SaslHandshake v0 request the client sends raw SASL tokens with no Kafka header. Set when the request is
     * forwarded, not when the broker accepts it: a client may send its first token before the answer arrives (the
     * broker reads it in order either way); a refused handshake clears it again (UpstreamConnection).
     */
    boolean saslRawTokens;
    private boolean closing;
    /** Graceful shutdown: no new requests are read; the connection closes once the last response is out. */
    boolean draining;
    /** The rest of a response is being spliced from the broker to the client (see UpstreamConnection). */
    boolean splicing;
    /** The rest of a Produce request is being spliced from the client to the broker. */
    private boolean requestSplicing;
    /** Counted against max-connections(-per-source) until the client channel closes; null when refused. */
    private Admission.Admitted admission;
    final InFlightRequestLimit inFlightLimit;

    ClientConnection(RewriteContext context, BrokerListener listener) {
        this.context = context;
        this.listener = listener;
        this.inFlightLimit = new InFlightRequestLimit(context.config().common().limits().maxInFlightRequests(),
                context.limitMeters(), listener.meters.listener());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        listener.connections.add(client);
        listener.meters.opened();
        client.config().setAutoRead(false);
        Admission answer = context.admission().admit(client.remoteAddress());
        if (answer instanceof Admission.Refused refused) {
            listener.meters.rejected(refused.limit().name().toLowerCase(Locale.ROOT));
            context.limitMeters().hit(refused.limit(), listener.meters.listener(), "refused " + client.remoteAddress()
                    + " (limit " + refused.value() + ")");
            closing = true;
            client.close();
            return;
        }
        admission = (Admission.Admitted) answer;
        upstreamAddress = listener.upstream;
        if (upstreamAddress == null || listener.draining) {
            LOG.warn("client {} on {}: no broker behind this port right now; closing", client.remoteAddress(), listener.name);
            client.close();
            return;
        }
        RewriteContext rc = context;
        int connectTimeoutMs = (int) rc.config().common().limits().upstreamConnectTimeout().toMillis();
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channel(rc.transport().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .option(ChannelOption.ALLOCATOR, Transport.BUFFERS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (rc.upstreamTls() != null) {
                            // SNI and hostname verification against the host dialled, as Kafka's own clients do.
                            SslHandler tls = rc.upstreamTls().context().newHandler(ch.alloc(), upstreamAddress.host(),
                                    upstreamAddress.port());
                            tls.setHandshakeTimeoutMillis(connectTimeoutMs);
                            ch.pipeline().addLast(PlaintextOnTlsDetector.TLS_HANDLER, tls);
                            ch.pipeline().addLast(PlaintextOnTlsDetector.TLS_ERRORS,
                                    new UpstreamTlsErrors(ClientConnection.this));
                        }
                        UpstreamConnection responses = new UpstreamConnection(ClientConnection.this);
                        boolean splice = rc.dataPath() == DataPath.SPLICE;
                        KafkaFrameDecoder frames = new KafkaFrameDecoder(rc.config().maxFrameBytes(),
                                splice ? responses : null);
                        if (splice && rc.upstreamTls() == null && rc.listenerTls() == null && HEAD_READS) {
                            // A read ends at most a head's length into the next response, so a large Fetch body is
                            // left in the kernel to splice rather than its first 64 KiB copied through user space.
                            ch.config().setRecvByteBufAllocator(new FrameReadSizer(frames, () -> splicing));
                        }
                        ch.pipeline().addLast("frames", frames);
                        ch.pipeline().addLast("responses", responses);
                    }
                });
        b.connect(upstreamAddress.unresolved()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                SslHandler tls = f.channel().pipeline().get(SslHandler.class);
                if (tls == null) {
                    upstreamReady(f.channel());
                } else {
                    // Requests are read from the client only once the broker's certificate has been accepted.
                    tls.handshakeFuture().addListener(h -> {
                        if (h.isSuccess()) {
                            upstreamReady(f.channel());
                        } else {
                            upstreamTlsFailed(f.channel(), h.cause());
                        }
                    });
                }
            } else {
                listener.meters.upstreamConnectFailed(upstreamAddress.toString());
                if (f.cause() instanceof ConnectTimeoutException) {
                    rc.limitMeters().hit(Limit.UPSTREAM_CONNECT_TIMEOUT, listener.meters.listener(), "no connection to "
                            + upstreamAddress + " within " + connectTimeoutMs + " ms for client " + client.remoteAddress());
                }
                LOG.warn("client {} on {}: cannot connect to {}: {}", client.remoteAddress(), listener.name, broker(),
                        f.cause().toString());
                client.close();
            }
        });
    }

    private void upstreamReady(Channel ch) {
        upstream = ch;
        if (!client.isActive()) {
            upstream.close();
            return;
        }
        // Right after the client's socket (and with it the pipe a splice writes into) is closed, and before the loop
        // serves another event: the broker side must not splice into that pipe any more.
        client.closeFuture().addListener(closed -> {
            if (splicing) {
                ch.close();
            }
        });
        // The same for a request spliced from the client into the broker's socket's pipe.
        ch.closeFuture().addListener(closed -> {
            if (requestSplicing) {
                client.close();
            }
        });
        client.config().setAutoRead(true);
    }

    private void upstreamTlsFailed(Channel ch, Throwable cause) {
        ch.close();
        listener.meters.upstreamConnectFailed(upstreamAddress.toString());
        LOG.warn("client {} on {}: {}", client.remoteAddress(), listener.name,
                UpstreamTlsFailure.describe(brokerName(), upstreamAddress.toString(), cause));
        closing = true;
        client.close();
    }

    /** {@code broker 2}, or {@code broker} for an address-keyed listener whose node id metadata has not named. */
    String brokerName() {
        Integer id = listener.nodeId;
        return id == null ? "broker" : "broker " + id;
    }

    /**
     * Whether bytes are encrypted on either leg of this pair: then the bytes in user space are not the bytes on the
     * sockets, and a kernel-side splice between the two sockets must not be used.
     */
    boolean tls() {
        return context.listenerTls() != null || context.upstreamTls() != null;
    }

    boolean splicingRequest() {
        return requestSplicing;
    }

    @Override
    public int minSpliceBytes() {
        return MIN_REQUEST_SPLICE_BYTES;
    }

    /**
     * Asked by the client's frame decoder with the start of a request whose rest is still in the socket. Only Produce
     * carries bulk data; its head must show acks (whether a response will come), and the request must not be the one
     * that pauses reading at the in-flight limit, since a paused channel would never finish the splice.
     */
    @Override
    public boolean mayPassUnchanged(ByteBuf start) {
        if (closing || draining || saslRawTokens || requestSplicing || upstream == null || !upstream.isActive()
                || start.readableBytes() < MIN_REQUEST) {
            return false;
        }
        int at = start.readerIndex() + 4;
        short version = start.getShort(at + 2);
        short cap = context.caps().cap(ApiKeys.PRODUCE.id);
        return start.getShort(at) == ApiKeys.PRODUCE.id && ApiKeys.PRODUCE.isVersionSupported(version)
                && (cap < 0 || version <= cap) && !inFlightLimit.pausesAt(inFlight.size() + 1)
                && produceAcks(start, version).isPresent();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FrameHead head) {
            spliceRequest(head);
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        if (closing || upstream == null) {
            frame.release();
            return;
        }
        int size = frame.readableBytes();
        long now = System.nanoTime();
        InFlight entry;
        if (saslRawTokens && !looksLikeRequest(frame)) {
            entry = InFlight.rawToken(now);
        } else {
            saslRawTokens = false;
            if (size < MIN_REQUEST) {
                frame.release();
                fail("request frame of " + (size - 4) + " bytes is shorter than a request header (8 bytes)");
                return;
            }
            int at = frame.readerIndex() + 4;
            short apiKey = frame.getShort(at);
            short version = frame.getShort(at + 2);
            int correlationId = frame.getInt(at + 4);
            short cap = context.caps().cap(apiKey);
            if (cap >= 0 && version > cap) {
                frame.release();
                if (apiKey == ApiKeys.API_VERSIONS.id && inFlight.isEmpty()) {
                    answerUnsupportedApiVersions(correlationId);
                    return;
                }
                fail("request " + ApiKeys.forId(apiKey).name + " v" + version + " is above v" + cap
                        + ", the highest this gateway can parse (it said so in ApiVersions)");
                return;
            }
            context.metrics().request(apiKey);
            if (apiKey == ApiKeys.PRODUCE.id && producesWithoutResponse(frame, version)) {
                entry = null; // acks=0: the broker sends nothing back
            } else {
                entry = new InFlight(apiKey, version, correlationId, now, false);
            }
            if (apiKey == ApiKeys.SASL_HANDSHAKE.id && version == 0) {
                saslRawTokens = true;
            }
        }
        if (entry != null) {
            inFlight.add(entry);
            inFlightLimit.requestForwarded(client, inFlight.size());
        }
        if (draining) {
            client.config().setAutoRead(false);
        }
        listener.meters.bytesToUpstream().increment(size);
        upstream.write(frame, upstream.voidPromise());
    }

    /**
     * Forwards the received start of a Produce request (the decoder asked {@link #mayPassUnchanged}), then splices
     * the rest of the frame from the client's socket into the broker's. The in-flight entry is made now: the
     * broker answers only after the last byte, and the next frame on this connection is the next request.
     */
    @SuppressWarnings("deprecation") // spliceTo: deprecated in Netty 4.2; see docs/ARCHITECTURE.md, rewrite mode
    private void spliceRequest(FrameHead head) {
        ByteBuf start = head.content();
        int remaining = head.remaining();
        int at = start.readerIndex() + 4;
        short version = start.getShort(at + 2);
        context.metrics().request(ApiKeys.PRODUCE.id);
        if (produceAcks(start, version).orElseThrow() != 0) {
            inFlight.add(new InFlight(ApiKeys.PRODUCE.id, version, start.getInt(at + 4), System.nanoTime(), false));
            inFlightLimit.requestForwarded(client, inFlight.size()); // never pauses here: see mayPassUnchanged
        }
        listener.meters.bytesToUpstream().increment(start.readableBytes());
        upstream.write(start, upstream.voidPromise()); // before the splice's writes: same outbound queue, in order
        requestSplicing = true;
        Channel broker = upstream;
        ((AbstractEpollStreamChannel) client).spliceTo((AbstractEpollStreamChannel) broker, remaining)
                .addListener(done -> {
                    requestSplicing = false;
                    if (done.isSuccess()) {
                        listener.meters.bytesToUpstream().increment(remaining);
                        context.metrics().splicedRequest(ApiKeys.PRODUCE.id);
                        IdleTimeout idle = client.pipeline().get(IdleTimeout.class);
                        if (idle != null) {
                            idle.trafficSeen(); // the spliced bytes passed no handler
                        }
                        updateReading(); // Netty's splice turned reading back on by itself
                        closeIfDrained();
                    } else {
                        LOG.debug("splice from client {} to {} ended: {}", client.remoteAddress(), broker(),
                                done.cause().toString());
                        closeBoth();
                    }
                });
    }

    /**
     * Reads from the client while the broker connection takes more, the in-flight limit allows and no drain holds
     * it; a drain still lets a half-spliced request finish (its response is awaited).
     */
    void updateReading() {
        if (client != null && upstream != null) {
            client.config().setAutoRead(upstream.isWritable() && !inFlightLimit.paused()
                    && (!draining || requestSplicing));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.config().setAutoRead(client.isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.meters.closed();
        if (admission != null) {
            admission.release();
        }
        closeUpstream();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException tooLong) {
            // A limit, not a protocol fault: counted and logged (rate-limited) with the other limits. Once only:
            // the decoder sees the same bytes again when the channel closes.
            if (closing) {
                return;
            }
            context.limitMeters().hit(Limit.MAX_FRAME_BYTES, listener.meters.listener(), "closed "
                    + client.remoteAddress() + ": " + tooLong.getMessage());
            closeBoth();
        } else if (cause instanceof DecoderException) {
            fail(cause.getCause() != null && !(cause.getCause() instanceof DecoderException)
                    ? cause.getCause().toString() : cause.getMessage());
        } else if (PeerIo.isPeerIo(cause)) {
            LOG.debug("client {} on {}: {}", client.remoteAddress(), listener.name, cause.toString());
            closeBoth();
        } else {
            LOG.warn("client {} on {}: closing after an unexpected error", client.remoteAddress(), listener.name, cause);
            closeBoth();
        }
    }

    /** Closes this connection only, with a WARN naming the peer and the reason. */
    void fail(String reason) {
        if (closing) {
            return;
        }
        context.metrics().malformed();
        LOG.warn("closing connection from {} on {} ({}): {}", client.remoteAddress(), listener.name, broker(),
                reason);
        closeBoth();
    }

    /** {@code broker 2 at host:port}; a listener keyed by upstream address may not know its node id. */
    String broker() {
        return brokerName() + " at " + upstreamAddress;
    }

    void closeBoth() {
        closing = true;
        if (client != null) {
            client.close();
        }
        closeUpstream();
    }

    private void closeUpstream() {
        Channel up = upstream;
        if (up != null && up.isActive()) {
            up.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Called on the event loop at shutdown: stop reading and close once nothing is in flight. */
    void beginDrain() {
        draining = true;
        if (client == null) {
            return;
        }
        if (!requestSplicing) {
            client.config().setAutoRead(false); // else the splice's completion stops reading
        }
        closeIfDrained();
    }

    void closeIfDrained() {
        if (draining && inFlight.isEmpty() && !splicing && !requestSplicing) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            closeUpstream();
        }
    }

    /** A raw SASL token never starts with a valid api key and version; a request after authentication does. */
    private static boolean looksLikeRequest(ByteBuf frame) {
        if (frame.readableBytes() < MIN_REQUEST) {
            return false;
        }
        short apiKey = frame.getShort(frame.readerIndex() + 4);
        short version = frame.getShort(frame.readerIndex() + 6);
        return ApiKeys.hasId(apiKey) && ApiKeys.forId(apiKey).isVersionSupported(version);
    }

    static boolean producesWithoutResponse(ByteBuf frame, short version) {
        return produceAcks(frame, version).orElse(1) == 0;
    }

    /**
     * acks sits right after transactional_id in every Produce version (compact string from v9); empty when the
     * bytes given end before it or are malformed (then the broker judges the request: it answers or closes).
     */
    static OptionalInt produceAcks(ByteBuf start, short version) {
        try {
            WireCursor c = new WireCursor(start, start.readerIndex() + 4 + 8);
            c.skipString16(); // client_id (a plain nullable string in every request header version)
            if (ApiKeys.PRODUCE.requestHeaderVersion(version) >= 2) {
                c.skipTaggedFields();
            }
            if (version >= 9) {
                c.skipCompact();
            } else {
                c.skipString16();
            }
            return OptionalInt.of(c.int16());
        } catch (IllegalStateException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * A client newer than this gateway asks ApiVersions at a version it cannot parse: answer as a broker would
     * (UNSUPPORTED_VERSION, v0 body, our range) so the client retries at a version both sides know.
     */
    private void answerUnsupportedApiVersions(int correlationId) {
        ApiVersionsResponseData body = new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        body.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.API_VERSIONS.id)
                .setMinVersion(ApiKeys.API_VERSIONS.oldestVersion())
                .setMaxVersion(context.caps().cap(ApiKeys.API_VERSIONS.id)));
        ByteBuffer encoded = RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(correlationId), (short) 0,
                body, (short) 0);
        ByteBuf out = client.alloc().buffer(4 + encoded.remaining());
        out.writeInt(encoded.remaining()).writeBytes(encoded);
        client.writeAndFlush(out);
    }
}
