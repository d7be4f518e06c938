package io.brokerlink.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.brokerlink.gateway.Readiness;
import io.brokerlink.gateway.RunningGateway;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/** Answers one admin request; GET (and HEAD) only. */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Supplier<Optional<RunningGateway>> gateway;

    AdminHttpHandler(PrometheusMeterRegistry registry, Supplier<Optional<RunningGateway>> gateway) {
        this.registry = registry;
        this.gateway = gateway;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws JsonProcessingException {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "use GET\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        switch (path) {
            case "/healthz":
                respond(ctx, request, HttpResponseStatus.OK, "text/plain", "ok\n");
                break;
            case "/readyz": {
                Readiness readiness = gateway.get().map(RunningGateway::readiness)
                        .orElse(Readiness.notReady("starting"));
                if (readiness instanceof Readiness.NotReady notReady) {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain",
                            "not ready: " + notReady.reason() + "\n");
                } else {
                    respond(ctx, request, HttpResponseStatus.OK, "text/plain", "ready\n");
                }
                break;
            }
            case "/metrics":
                respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape());
                break;
            case "/status": {
                Optional<RunningGateway> running = gateway.get();
                if (running.isEmpty()) {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                            "{\"ready\": false, \"readiness\": \"starting\"}\n");
                } else {
                    respond(ctx, request, HttpResponseStatus.OK, "application/json",
                            JSON.writeValueAsString(running.get().status()) + "\n");
                }
                break;
            }
            default:
                respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain",
                        "no such endpoint: " + path + "; use /healthz, /readyz, /metrics or /status\n");
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, String body) {
        ByteBuf content = request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.getBytes(StandardCharsets.UTF_8).length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
