package io.brokerlink.doctor.lint;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What lint compares the files against besides each other. {@code patterns}: advertised host pattern per listener
 * group, key {@code *} for every group; a group without one gets the most common shape among the files.
 * {@code bootstrapPorts}: load-balancer bootstrap ports no broker may advertise. {@code zones}: node id to zone,
 * taking precedence over {@code broker.rack}.
 */
public record LintOptions(Map<String, HostPattern> patterns, Set<Integer> bootstrapPorts, Map<Integer, String> zones) {

    public static final String ALL_GROUPS = "*";

    public LintOptions {
        patterns = Map.copyOf(patterns);
        bootstrapPorts = Set.copyOf(bootstrapPorts);
        zones = Map.copyOf(zones);
        for (int port : bootstrapPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bootstrap port: " + port + " is not a port; use 1 to 65535");
            }
        }
    }

    public static LintOptions none() {
        return new LintOptions(Map.of(), Set.of(), Map.of());
    }

    Optional<HostPattern> patternFor(String group) {
        return Optional.ofNullable(patterns.getOrDefault(group, patterns.get(ALL_GROUPS)));
    }
}
