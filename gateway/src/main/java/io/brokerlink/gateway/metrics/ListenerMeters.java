package io.brokerlink.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one listener (tag {@code listener}, e.g. {@code EXTERNAL/b1}): open and accepted connections,
 * connections closed at once (tag {@code reason}), bytes in each direction, failed connects to the upstream.
 */
public final class ListenerMeters {

    public static final String PREFIX = "brokerlink.gateway.";

    private final String listener;
    private final MeterRegistry registry;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter accepted;
    private final Counter bytesToUpstream;
    private final Counter bytesToClient;

    public ListenerMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        Gauge.builder(PREFIX + "connections.open", open, AtomicInteger::get)
                .description("client connections open now").tag("listener", listener).register(registry);
        this.accepted = Counter.builder(PREFIX + "connections.accepted")
                .description("client connections accepted").tag("listener", listener).register(registry);
        this.bytesToUpstream = Counter.builder(PREFIX + "bytes").baseUnit("bytes")
                .description("bytes forwarded").tags("listener", listener, "direction", "to_upstream")
                .register(registry);
        this.bytesToClient = Counter.builder(PREFIX + "bytes").baseUnit("bytes")
                .description("bytes forwarded").tags("listener", listener, "direction", "to_client")
                .register(registry);
    }

    public String listener() {
        return listener;
    }

    public void opened() {
        open.incrementAndGet();
        accepted.increment();
    }

    public void closed() {
        open.decrementAndGet();
    }

    public int openConnections() {
        return open.get();
    }

    public Counter bytesToUpstream() {
        return bytesToUpstream;
    }

    public Counter bytesToClient() {
        return bytesToClient;
    }

    /** A client connection closed at once, e.g. {@code broker_unhealthy}, {@code no_healthy_member}. */
    public void rejected(String reason) {
        Counter.builder(PREFIX + "connections.rejected").description("client connections closed at once")
                .tags("listener", listener, "reason", reason).register(registry).increment();
    }

    public void upstreamConnectFailed(String upstream) {
        Counter.builder(PREFIX + "upstream.connect.failures").description("failed connects to an upstream broker")
                .tags("listener", listener, "upstream", upstream).register(registry).increment();
    }
}
