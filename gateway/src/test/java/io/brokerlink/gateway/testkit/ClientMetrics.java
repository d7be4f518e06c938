package io.brokerlink.gateway.testkit;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** A Kafka client's own counters (connections made, re-authentications), read from {@code metrics()}. */
public final class ClientMetrics {

    private ClientMetrics() {
    }

    /** {@code name} summed over the client-wide group of a producer or consumer (not per node or per topic). */
    public static double total(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && (e.getKey().group().equals("producer-metrics")
                        || e.getKey().group().equals("consumer-metrics")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
