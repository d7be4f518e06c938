package io.brokerlink.gateway.portmap;

import io.brokerlink.gateway.config.ConfigMap;
import java.time.Duration;

/**
 * TCP health checks of the brokers: a connect every {@code interval}, failed after {@code timeout}; a broker
 * changes state after {@code healthyThreshold} consecutive successes or {@code unhealthyThreshold} failures.
 */
public record HealthCheckConfig(Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {

    public static final HealthCheckConfig DEFAULT =
            new HealthCheckConfig(Duration.ofMillis(2000), Duration.ofMillis(1000), 2, 2);

    public HealthCheckConfig {
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("health-check interval must be at least 10 ms, was " + interval);
        }
        if (timeout.toMillis() < 1 || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("health-check timeout must be 1 ms to the interval, was " + timeout);
        }
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("health-check thresholds must be at least 1");
        }
    }

    static HealthCheckConfig read(ConfigMap map) {
        int interval = map.integer("interval-ms", (int) DEFAULT.interval.toMillis(), 10, 3_600_000,
                "is not a check interval (10-3600000 ms)");
        int timeout = map.integer("timeout-ms", (int) DEFAULT.timeout.toMillis(), 1, 3_600_000,
                "is not a check timeout (1-3600000 ms)");
        if (timeout > interval) {
            throw map.optional("timeout-ms").orElse(map).error(timeout + " is longer than interval-ms ("
                    + interval + "); a check must finish before the next one starts");
        }
        int healthy = map.integer("healthy-threshold", DEFAULT.healthyThreshold, 1, 100,
                "is not a threshold (1-100)");
        int unhealthy = map.integer("unhealthy-threshold", DEFAULT.unhealthyThreshold, 1, 100,
                "is not a threshold (1-100)");
        map.rejectUnknownKeys();
        return new HealthCheckConfig(Duration.ofMillis(interval), Duration.ofMillis(timeout), healthy, unhealthy);
    }
}
