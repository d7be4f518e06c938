package io.brokerlink.core;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One private-link listener group (EXTERNAL, EXTERNAL2, ...): the listener every broker binds on {@code bindPort},
 * the names it advertises, the advertised ports, the load balancer's bootstrap port and the consumer allowed in.
 * Each group gets its own load balancer and endpoint service.
 */
public record ListenerGroup(ListenerName name, int bindPort, PatternSet patterns, PortAssignment ports,
                            OptionalInt bootstrapPort, Optional<String> consumer, Optional<UniqueName> uniqueName) {

    public ListenerGroup {
        SpecException.port(bindPort, "bind-port");
        bootstrapPort = bootstrapPort == null ? OptionalInt.empty() : bootstrapPort;
        bootstrapPort.ifPresent(p -> SpecException.port(p, "bootstrap-port"));
        consumer = consumer == null ? Optional.empty() : consumer;
        uniqueName = uniqueName == null ? Optional.empty() : uniqueName;
        if (uniqueName.isPresent()) {
            SpecException.require(patterns.hasUniqueName(), "unique-name",
                    "given, but the pattern has no " + AdvertisedPattern.UNIQUE_NAME + " label to replace");
        }
    }

    /** The patterns brokers advertise now: {@code unique_name} replaced when its value is known. */
    public PatternSet effectivePatterns() {
        return uniqueName.map(patterns::withUniqueName).orElse(patterns);
    }

    /** True while the group still advertises the literal {@code unique_name} label (Alibaba's first round). */
    public boolean awaitsUniqueName() {
        return uniqueName.isEmpty() && patterns.hasUniqueName();
    }

    public ListenerGroup withUniqueName(UniqueName value) {
        return new ListenerGroup(name, bindPort, patterns, ports, bootstrapPort, consumer, Optional.of(value));
    }
}
