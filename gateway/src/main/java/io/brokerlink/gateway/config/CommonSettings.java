package io.brokerlink.gateway.config;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.limits.ConnectionLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings every mode has.
 *
 * @param admin          the admin HTTP endpoint
 * @param drainTimeout   how long a graceful shutdown lets open connections finish before closing them
 * @param maxConnections client connections accepted at once over all listeners; further ones are closed at once
 * @param limits         the other connection limits (per source, idle, upstream connect, in flight)
 */
public record CommonSettings(AdminConfig admin, Duration drainTimeout, int maxConnections, ConnectionLimits limits) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final CommonSettings DEFAULT =
            new CommonSettings(AdminConfig.DEFAULT, DEFAULT_DRAIN_TIMEOUT, DEFAULT_MAX_CONNECTIONS);

    /** The default {@link ConnectionLimits}. */
    public CommonSettings(AdminConfig admin, Duration drainTimeout, int maxConnections) {
        this(admin, drainTimeout, maxConnections, ConnectionLimits.DEFAULT);
    }

    public CommonSettings {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative, was " + drainTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, was " + maxConnections);
        }
    }

    public CommonSettings withAdmin(AdminConfig newAdmin) {
        return new CommonSettings(newAdmin, drainTimeout, maxConnections, limits);
    }

    /**
     * Reads {@code admin-bind}, {@code drain-timeout-ms}, {@code max-connections} and the {@link ConnectionLimits}
     * keys from the root map. Without {@code admin-bind} the admin endpoint stays on loopback.
     */
    public static CommonSettings read(ConfigMap root) {
        AdminConfig admin = root.optional("admin-bind").isPresent()
                ? new AdminConfig(root.hostPort("admin-bind", 0)) : AdminConfig.DEFAULT;
        int drainMs = root.integer("drain-timeout-ms", (int) DEFAULT_DRAIN_TIMEOUT.toMillis(), 0, 3_600_000,
                "is not a drain timeout (0-3600000 ms)");
        int max = root.integer("max-connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000,
                "is not a connection limit (1-1000000)");
        return new CommonSettings(admin, Duration.ofMillis(drainMs), max, ConnectionLimits.read(root));
    }
}
