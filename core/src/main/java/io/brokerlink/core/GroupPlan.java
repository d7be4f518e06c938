package io.brokerlink.core;

import java.util.List;
import java.util.OptionalInt;

/** A listener group with its ports resolved: one endpoint per broker (node-id order) plus the bootstrap port. */
public record GroupPlan(ListenerGroup group, List<BrokerEndpoint> endpoints) {

    public GroupPlan {
        endpoints = List.copyOf(endpoints);
    }

    public String name() {
        return group.name().value();
    }

    /** The spec field that chose the ports, for messages. */
    public String portsField() {
        return group.ports() instanceof PortAssignment.FromStart ? "advertised-port-start" : "advertised-ports";
    }

    public OptionalInt bootstrapPort() {
        return group.bootstrapPort();
    }

    /** Load-balancer listeners this group needs: one per broker plus bootstrap. */
    public int listenerCount() {
        return endpoints.size() + (bootstrapPort().isPresent() ? 1 : 0);
    }

    public int lowestPort() {
        return endpoints.stream().mapToInt(BrokerEndpoint::advertisedPort).min().orElseThrow();
    }

    public int highestPort() {
        return endpoints.stream().mapToInt(BrokerEndpoint::advertisedPort).max().orElseThrow();
    }

    /** The ports a consumer bootstraps from: the bootstrap port, or every broker port when there is none. */
    public List<Integer> consumerBootstrapPorts() {
        if (bootstrapPort().isPresent()) {
            return List.of(bootstrapPort().getAsInt());
        }
        return endpoints.stream().map(BrokerEndpoint::advertisedPort).toList();
    }
}
