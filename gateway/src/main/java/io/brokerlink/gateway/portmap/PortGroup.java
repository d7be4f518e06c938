package io.brokerlink.gateway.portmap;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A listener group (EXTERNAL, EXTERNAL2...): an optional bootstrap port that forwards to any healthy member, and
 * one port per broker.
 */
public record PortGroup(String name, OptionalInt bootstrapPort, List<BrokerRoute> brokers) {

    public PortGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bootstrapPort, "bootstrapPort");
        brokers = List.copyOf(brokers);
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("group " + name + " has no brokers");
        }
        Set<Integer> ids = new HashSet<>();
        for (BrokerRoute broker : brokers) {
            if (!ids.add(broker.nodeId())) {
                throw new IllegalArgumentException("group " + name + " lists node id " + broker.nodeId() + " twice");
            }
        }
    }
}
