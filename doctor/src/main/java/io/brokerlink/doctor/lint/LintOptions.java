package io.brokerlink.doctor.lint;

import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import io.brokerlink.core.PatternSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What lint compares the files against besides each other. {@code patterns}: advertised host pattern per listener
 * group, key {@code *} for every group; a group without one gets the most common shape among the files.
 * {@code bootstrapPorts}: load-balancer bootstrap ports no broker may advertise. {@code zones}: node id to zone,
 * taking precedence over {@code broker.rack}. {@code plan}: per group, node id to the address the deployment spec's
 * port plan gives that broker (empty without a spec); a planned broker is compared against its own pattern (the
 * spec may give one per zone) and port. {@code specNodes}: every node id the spec lists (empty without a spec), so
 * a spec node with no file and a file with a node id the spec lacks are both reported.
 */
public record LintOptions(Map<String, HostPattern> patterns, Set<Integer> bootstrapPorts, Map<Integer, String> zones,
                          Map<String, Map<Integer, Planned>> plan, Set<Integer> specNodes) {

    /** One broker's advertised address in one group as the spec plans it. */
    public record Planned(HostPattern pattern, int port) {
        public Planned {
            java.util.Objects.requireNonNull(pattern, "pattern");
        }
    }

    public static final String ALL_GROUPS = "*";

    public LintOptions {
        patterns = Map.copyOf(patterns);
        bootstrapPorts = Set.copyOf(bootstrapPorts);
        zones = Map.copyOf(zones);
        plan = Map.copyOf(plan);
        specNodes = Set.copyOf(specNodes);
        for (int port : bootstrapPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bootstrap port: " + port + " is not a port; use 1 to 65535");
            }
        }
    }

    /** Without a spec: patterns and bootstrap ports as given (or inferred), zones from {@code broker.rack}. */
    public LintOptions(Map<String, HostPattern> patterns, Set<Integer> bootstrapPorts, Map<Integer, String> zones) {
        this(patterns, bootstrapPorts, zones, Map.of(), Set.of());
    }

    public static LintOptions none() {
        return new LintOptions(Map.of(), Set.of(), Map.of());
    }

    /**
     * Everything a deployment spec says about the files: each group's pattern (a shared one also covers files whose
     * node id the spec does not list), every node's zone, the bootstrap ports, and each broker's planned address.
     */
    public static LintOptions fromSpec(Deployment spec) {
        Map<String, HostPattern> patterns = new HashMap<>();
        Set<Integer> bootstrapPorts = new HashSet<>();
        Map<Integer, String> zones = new HashMap<>();
        Map<String, Map<Integer, Planned>> plan = new HashMap<>();
        spec.brokers().forEach(b -> zones.put(b.nodeId(), b.zone()));
        for (GroupPlan g : spec.portPlan().groups()) {
            PatternSet set = g.group().effectivePatterns();
            if (set instanceof PatternSet.Shared shared) {
                patterns.put(g.name(), HostPattern.of(shared.pattern()));
            }
            g.bootstrapPort().ifPresent(bootstrapPorts::add);
            Map<Integer, Planned> byNode = new HashMap<>();
            for (BrokerEndpoint e : g.endpoints()) {
                byNode.put(e.broker().nodeId(),
                        new Planned(HostPattern.of(set.forZone(e.broker().zone())), e.advertisedPort()));
            }
            plan.put(g.name(), byNode);
        }
        return new LintOptions(patterns, bootstrapPorts, zones, plan, zones.keySet());
    }

    Optional<Planned> planned(String group, Integer nodeId) {
        return nodeId == null ? Optional.empty()
                : Optional.ofNullable(plan.getOrDefault(group, Map.of()).get(nodeId));
    }

    Optional<HostPattern> patternFor(String group) {
        return Optional.ofNullable(patterns.getOrDefault(group, patterns.get(ALL_GROUPS)));
    }
}
