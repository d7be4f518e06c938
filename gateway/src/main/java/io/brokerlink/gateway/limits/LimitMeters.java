package io.brokerlink.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every time a limit is hit ({@code brokerlink.gateway.limit.hits}, tags {@code limit} and {@code listener})
 * and logs it in one line. A flood hits a limit thousands of times a second, and a log that grows as fast as the
 * flood is a second denial of service: so at most one line per limit per {@link #LOG_INTERVAL_NANOS}, saying how many
 * hits it stands for. The counter is exact.
 */
public final class LimitMeters {

    private static final Logger LOG = LoggerFactory.getLogger(LimitMeters.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String NAME = "brokerlink.gateway.limit.hits";

    private final MeterRegistry registry;
    private final Map<Limit, LogWindow> windows = new EnumMap<>(Limit.class);

    /** Hits since the last line, and when that line was written. */
    private static final class LogWindow {
        final AtomicLong suppressed = new AtomicLong();
        final AtomicLong lastLineNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    }

    public LimitMeters(MeterRegistry registry) {
        this.registry = registry;
        for (Limit limit : Limit.values()) {
            windows.put(limit, new LogWindow());
        }
    }

    /**
     * One hit of {@code limit} on {@code listener}; {@code what} says what happened to whom, e.g.
     * {@code "refused 127.0.0.9:51234 (limit 20)"}. It must never contain payload bytes.
     */
    public void hit(Limit limit, String listener, String what) {
        counter(limit, listener).increment();
        LogWindow window = windows.get(limit);
        long now = System.nanoTime();
        long last = window.lastLineNanos.get();
        if (now - last >= LOG_INTERVAL_NANOS && window.lastLineNanos.compareAndSet(last, now)) {
            long more = window.suppressed.getAndSet(0);
            LOG.warn("limit {} hit on {}: {}{}", limit.key(), listener, what,
                    more > 0 ? " (" + more + " more hit(s) of this limit since the last line)" : "");
        } else {
            window.suppressed.incrementAndGet();
        }
    }

    /** The counter of one limit and listener (registered on first use). */
    public Counter counter(Limit limit, String listener) {
        return Counter.builder(NAME).description("times a gateway limit was hit")
                .tags("limit", limit.key(), "listener", listener).register(registry);
    }

    /** Hits of {@code limit} over all listeners. */
    public double total(Limit limit) {
        return registry.find(NAME).tag("limit", limit.key()).counters().stream().mapToDouble(Counter::count).sum();
    }
}
