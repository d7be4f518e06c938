package io.brokerlink.doctor.check;

import io.brokerlink.core.HostPort;
import io.brokerlink.doctor.lint.HostPattern;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code doctor check} is asked to prove. {@code pattern} null: inferred from the broker list (most common
 * shape). {@code timeout}: per connection and per request; the data path allows a few of these. {@code plan}: the
 * brokers and addresses a deployment spec expects behind this bootstrap, or null without a spec.
 */
public record CheckOptions(List<HostPort> bootstrap, ResolveRules rules, HostPattern pattern, boolean keep,
                           boolean apiVersions, Duration timeout, PlannedGroup plan) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public CheckOptions {
        bootstrap = List.copyOf(bootstrap);
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(timeout, "timeout");
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("--bootstrap: no address given; give HOST:PORT[,HOST:PORT...]");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout: " + timeout + " must be positive");
        }
    }

    /** Without a spec. */
    public CheckOptions(List<HostPort> bootstrap, ResolveRules rules, HostPattern pattern, boolean keep,
                        boolean apiVersions, Duration timeout) {
        this(bootstrap, rules, pattern, keep, apiVersions, timeout, null);
    }

    public static List<HostPort> parseBootstrap(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> HostPort.parse("--bootstrap", s)).toList();
    }
}
