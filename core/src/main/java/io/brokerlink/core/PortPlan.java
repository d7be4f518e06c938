package io.brokerlink.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Every listener group with its brokers' advertised ports and names resolved. */
public record PortPlan(List<GroupPlan> groups) {

    public PortPlan {
        groups = List.copyOf(groups);
    }

    static PortPlan resolve(List<ListenerGroup> groups, List<Broker> brokers) {
        List<Broker> members = brokers.stream().filter(Broker::isBroker)
                .sorted(Comparator.comparingInt(Broker::nodeId)).toList();
        List<GroupPlan> plans = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            ListenerGroup group = groups.get(g);
            String at = "groups[" + g + "]";
            List<BrokerEndpoint> endpoints = new ArrayList<>();
            PatternSet patterns = group.effectivePatterns();
            if (group.ports() instanceof PortAssignment.FromStart fromStart) {
                    int last = fromStart.start() + members.size() - 1;
                    SpecException.require(last <= 65535, at + ".advertised-port-start", "range "
                            + fromStart.start() + "-" + last + " for " + members.size()
                            + " brokers runs past 65535; start lower");
                    for (int i = 0; i < members.size(); i++) {
                        endpoints.add(endpoint(members.get(i), fromStart.start() + i, patterns, group));
                    }
            } else if (group.ports() instanceof PortAssignment.Explicit explicit) {
                    for (Broker b : members) {
                        Integer port = explicit.portByNodeId().get(b.nodeId());
                        SpecException.require(port != null, at + ".advertised-ports",
                                "no port for node " + b.nodeId() + "; give one port per broker");
                        endpoints.add(endpoint(b, port, patterns, group));
                    }
                    for (Map.Entry<Integer, Integer> e : explicit.portByNodeId().entrySet()) {
                        SpecException.require(members.stream().anyMatch(b -> b.nodeId() == e.getKey()),
                                at + ".advertised-ports." + e.getKey(),
                                "node " + e.getKey() + " is not a broker of this spec");
                    }
            }
            plans.add(new GroupPlan(group, endpoints));
        }
        return new PortPlan(plans);
    }

    private static BrokerEndpoint endpoint(Broker b, int port, PatternSet patterns, ListenerGroup group) {
        return new BrokerEndpoint(b, port, patterns.forZone(b.zone()).host(b.nodeId(), b.zone()), group.bindPort());
    }

    public GroupPlan group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }
}
