package io.brokerlink.gateway.limits;

/** The limits a gateway enforces; {@link #key()} is the configuration key and the metric's {@code limit} tag. */
public enum Limit {
    MAX_CONNECTIONS("max-connections"),
    MAX_CONNECTIONS_PER_SOURCE("max-connections-per-source"),
    IDLE_TIMEOUT("idle-timeout-ms"),
    UPSTREAM_CONNECT_TIMEOUT("upstream-connect-timeout-ms"),
    MAX_FRAME_BYTES("max-frame-bytes"),
    MAX_IN_FLIGHT_REQUESTS("max-in-flight-requests");

    private final String key;

    Limit(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
