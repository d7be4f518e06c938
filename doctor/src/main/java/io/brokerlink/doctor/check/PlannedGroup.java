package io.brokerlink.doctor.check;

import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import io.brokerlink.core.HostPort;
import io.brokerlink.core.PatternSet;
import io.brokerlink.doctor.lint.HostPattern;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a deployment spec's port plan says the metadata reached through one group's bootstrap must list: every
 * broker of the group (node id) with its advertised address, and the group's pattern when it is one for all zones.
 */
public record PlannedGroup(String group, Map<Integer, HostPort> advertised, HostPattern sharedPattern) {

    public PlannedGroup {
        Objects.requireNonNull(group, "group");
        advertised = java.util.Collections.unmodifiableMap(new TreeMap<>(advertised));
    }

    /**
     * The plan of {@code group} in {@code spec}.
     *
     * @throws IllegalArgumentException when the spec has no such group (a usage error naming the valid ones)
     */
    public static PlannedGroup fromSpec(Deployment spec, String specName, String group) {
        GroupPlan plan = spec.portPlan().groups().stream().filter(g -> g.name().equals(group)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--group " + group + ": not a listener group of "
                        + specName + "; use one of " + spec.portPlan().groups().stream().map(GroupPlan::name)
                        .collect(Collectors.joining(", "))));
        Map<Integer, HostPort> advertised = new TreeMap<>();
        for (BrokerEndpoint e : plan.endpoints()) {
            advertised.put(e.broker().nodeId(), new HostPort(e.advertisedHost(), e.advertisedPort()));
        }
        PatternSet patterns = plan.group().effectivePatterns();
        HostPattern shared = patterns instanceof PatternSet.Shared s ? HostPattern.of(s.pattern()) : null;
        return new PlannedGroup(group, advertised, shared);
    }
}
