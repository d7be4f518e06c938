package io.brokerlink.gateway.limits;

import io.brokerlink.gateway.config.ConfigMap;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-connection limits both modes share (the total, {@code max-connections}, lives in
 * {@link io.brokerlink.gateway.config.CommonSettings}). Top-level keys of {@code gateway.yaml}:
 *
 * <pre>
 * max-connections-per-source: 200      # client connections from one IP address at once (default: no own limit)
 * idle-timeout-ms: 900000              # close a connection with no byte either way for this long; 0 = never
 * upstream-connect-timeout-ms: 5000    # give up connecting to a broker after this long
 * max-in-flight-requests: 1000         # rewrite mode: requests awaiting a response before reading pauses
 * </pre>
 *
 * The default idle timeout is above the broker's own {@code connections.max.idle.ms} (10 min), so the broker closes
 * idle connections first and the gateway only reaps those it never would (half-open peers, silent scanners).
 *
 * @param maxConnectionsPerSource empty: only the total applies
 * @param idleTimeout             {@link Duration#ZERO}: never
 */
public record ConnectionLimits(Optional<Integer> maxConnectionsPerSource, Duration idleTimeout,
                               Duration upstreamConnectTimeout, int maxInFlightRequests) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 1000;
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(Optional.empty(), DEFAULT_IDLE_TIMEOUT,
            DEFAULT_UPSTREAM_CONNECT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT_REQUESTS);

    public ConnectionLimits {
        Objects.requireNonNull(maxConnectionsPerSource, "maxConnectionsPerSource");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
        maxConnectionsPerSource.ifPresent(n -> {
            if (n < 1) {
                throw new IllegalArgumentException(Limit.MAX_CONNECTIONS_PER_SOURCE.key() + " must be at least 1, was " + n);
            }
        });
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException(Limit.IDLE_TIMEOUT.key() + " must not be negative, was " + idleTimeout);
        }
        if (upstreamConnectTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(Limit.UPSTREAM_CONNECT_TIMEOUT.key() + " must be at least 1 ms, was "
                    + upstreamConnectTimeout);
        }
        if (maxInFlightRequests < 1) {
            throw new IllegalArgumentException(Limit.MAX_IN_FLIGHT_REQUESTS.key() + " must be at least 1, was "
                    + maxInFlightRequests);
        }
    }

    /** Reads the keys above from the root map; absent keys keep their defaults. */
    public static ConnectionLimits read(ConfigMap root) {
        var perSource = root.optionalInteger(Limit.MAX_CONNECTIONS_PER_SOURCE.key(), 1, 1_000_000,
                "is not a connection limit (1-1000000)");
        int idleMs = root.integer(Limit.IDLE_TIMEOUT.key(), (int) DEFAULT_IDLE_TIMEOUT.toMillis(), 0, 86_400_000,
                "is not an idle timeout (0 = never, up to 86400000 ms)");
        int connectMs = root.integer(Limit.UPSTREAM_CONNECT_TIMEOUT.key(),
                (int) DEFAULT_UPSTREAM_CONNECT_TIMEOUT.toMillis(), 1, 600_000,
                "is not a connect timeout (1-600000 ms)");
        int inFlight = root.integer(Limit.MAX_IN_FLIGHT_REQUESTS.key(), DEFAULT_MAX_IN_FLIGHT_REQUESTS, 1, 100_000,
                "is not a limit of requests in flight (1-100000)");
        return new ConnectionLimits(perSource.isPresent() ? Optional.of(perSource.getAsInt()) : Optional.empty(),
                Duration.ofMillis(idleMs), Duration.ofMillis(connectMs), inFlight);
    }
}
