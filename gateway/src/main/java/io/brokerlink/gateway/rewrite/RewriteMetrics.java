package io.brokerlink.gateway.rewrite;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Rewrite mode's meters. Per-API meters are created once per api key and cached in arrays, so the hot path is an
 * array read and an increment. Api keys this kafka-clients does not know share one slot, tagged {@code unknown}:
 * the client chooses the key, and must choose neither how many meters the registry holds nor which known API's
 * meter its request lands in.
 */
final class RewriteMetrics {

    private static final int KEYS = 256;
    private static final int UNKNOWN = KEYS - 1;

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(KEYS);
    private final AtomicReferenceArray<Counter> rewrites = new AtomicReferenceArray<>(KEYS);
    private final AtomicReferenceArray<Timer> latency = new AtomicReferenceArray<>(KEYS);
    private final AtomicReferenceArray<Counter> splicedResponses = new AtomicReferenceArray<>(KEYS);
    private final AtomicReferenceArray<Counter> splicedRequests = new AtomicReferenceArray<>(KEYS);
    private final Counter unplacedBrokers;
    private final Counter malformed;

    RewriteMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.unplacedBrokers = Counter.builder("brokerlink.gateway.rewrite.unplaced.brokers")
                .description("brokers seen for which the configuration gives no port (they are hidden from clients)")
                .register(registry);
        this.malformed = Counter.builder("brokerlink.gateway.rewrite.closed.malformed")
                .description("connections closed because of malformed input").register(registry);
    }

    /** The array slot of an api key: its own for a known key, {@link #UNKNOWN} for any other. */
    private static int slot(int apiKey) {
        return apiKey >= 0 && apiKey < UNKNOWN && ApiKeys.hasId(apiKey) ? apiKey : UNKNOWN;
    }

    private static String apiName(int slot) {
        return slot == UNKNOWN ? "unknown" : ApiKeys.forId(slot).name;
    }

    void request(int apiKey) {
        int i = slot(apiKey);
        Counter c = requests.get(i);
        if (c == null) {
            c = Counter.builder("brokerlink.gateway.requests").tag("api", apiName(i))
                    .description("requests forwarded, per API").register(registry);
            requests.set(i, c);
        }
        c.increment();
    }

    void rewrite(int apiKey) {
        int i = slot(apiKey);
        Counter c = rewrites.get(i);
        if (c == null) {
            c = Counter.builder("brokerlink.gateway.rewrites").tag("api", apiName(i))
                    .description("responses whose broker addresses were rewritten, per API").register(registry);
            rewrites.set(i, c);
        }
        c.increment();
    }

    void latency(int apiKey, long nanos) {
        int i = slot(apiKey);
        Timer t = latency.get(i);
        if (t == null) {
            t = Timer.builder("brokerlink.gateway.request.latency").tag("api", apiName(i))
                    .description("time from forwarding a request to forwarding its response")
                    .publishPercentileHistogram().register(registry);
            latency.set(i, t);
        }
        t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A response whose body went from broker to client by splice(2). */
    void splicedResponse(int apiKey) {
        spliced(splicedResponses, apiKey, "brokerlink.gateway.responses.spliced",
                "responses whose body went from broker to client by splice(2), not through user space, per API");
    }

    /** A request whose body (a Produce request's record batches) went from client to broker by splice(2). */
    void splicedRequest(int apiKey) {
        spliced(splicedRequests, apiKey, "brokerlink.gateway.requests.spliced",
                "requests whose body went from client to broker by splice(2), not through user space, per API");
    }

    private void spliced(AtomicReferenceArray<Counter> meters, int apiKey, String name, String description) {
        int i = slot(apiKey);
        Counter c = meters.get(i);
        if (c == null) {
            c = Counter.builder(name).tag("api", apiName(i)).description(description).register(registry);
            meters.set(i, c);
        }
        c.increment();
    }

    void unplacedBroker() {
        unplacedBrokers.increment();
    }

    void malformed() {
        malformed.increment();
    }

}
