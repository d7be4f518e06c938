package io.brokerlink.gateway;

import java.util.List;
import java.util.Objects;

/**
 * What /status shows: every listener with its open connections, and every broker the gateway forwards to.
 *
 * @param mode      {@code portmap} or {@code rewrite}
 * @param transport {@code epoll} or {@code nio}
 */
public record GatewayStatus(String mode, String transport, boolean ready, String readiness,
                            List<ListenerStatus> listeners, List<BrokerStatus> brokers) {

    public GatewayStatus {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(readiness, "readiness");
        listeners = List.copyOf(listeners);
        brokers = List.copyOf(brokers);
    }

    /**
     * One bound listener.
     *
     * @param name    e.g. {@code EXTERNAL/bootstrap}, {@code EXTERNAL/b1}
     * @param address the bound address, {@code host:port}
     */
    public record ListenerStatus(String name, String address, int openConnections) {
    }

    /**
     * One broker as the gateway sees it.
     *
     * @param rack       the broker's rack when the mode knows it (rewrite learns it from metadata), else null
     * @param upstream   where the gateway connects, {@code host:port}
     * @param advertised what clients are told, {@code host:port}, when known
     * @param port       the gateway port that leads to this broker
     * @param health     {@code healthy}, {@code unhealthy} or {@code unknown}
     */
    public record BrokerStatus(String group, int nodeId, String rack, String upstream, String advertised, int port,
                               int openConnections, String health) {
    }
}
