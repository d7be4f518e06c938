package io.brokerlink.gateway.portmap;

import io.brokerlink.core.HostPort;
import java.util.Objects;
import java.util.Optional;

/**
 * One broker of a listener group: the gateway listens on {@code listenPort} and forwards to {@code target} (the
 * broker's EXTERNAL bind address). {@code advertised} is what the broker tells clients; shown in /status only.
 */
public record BrokerRoute(int nodeId, int listenPort, HostPort target, Optional<String> advertised) {

    public BrokerRoute {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(advertised, "advertised");
        if (nodeId < 0) {
            throw new IllegalArgumentException("node id must be >= 0, was " + nodeId);
        }
        if (listenPort < 1 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port " + listenPort + " is not a port (1-65535)");
        }
        if (target.port() < 1) {
            throw new IllegalArgumentException("target " + target + " needs a port (1-65535)");
        }
    }
}
