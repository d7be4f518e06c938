package io.brokerlink.gateway.config;

import io.brokerlink.core.HostPort;
import java.util.Objects;

/** Where the admin HTTP endpoint (/healthz, /readyz, /metrics, /status) listens; port 0 picks a free port. */
public record AdminConfig(HostPort bind) {

    /** Loopback only by default: metrics and status are for the operator, not for the network. */
    public static final AdminConfig DEFAULT = new AdminConfig(new HostPort("127.0.0.1", 9644));

    public AdminConfig {
        Objects.requireNonNull(bind, "bind");
    }
}
