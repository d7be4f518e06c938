package io.brokerlink.core;

import java.util.OptionalInt;

/**
 * Load-balancer knobs. {@code idleTimeoutSeconds} empty keeps the cloud default (350 s on AWS); {@code listenerQuota}
 * is the raised Alibaba Cloud listener quota, when the account has one.
 */
public record LoadBalancerOptions(boolean crossZone, OptionalInt idleTimeoutSeconds, boolean acceptanceRequired,
                                  OptionalInt listenerQuota) {

    public static final LoadBalancerOptions DEFAULTS =
            new LoadBalancerOptions(true, OptionalInt.empty(), true, OptionalInt.empty());

    public LoadBalancerOptions {
        idleTimeoutSeconds = idleTimeoutSeconds == null ? OptionalInt.empty() : idleTimeoutSeconds;
        listenerQuota = listenerQuota == null ? OptionalInt.empty() : listenerQuota;
        idleTimeoutSeconds.ifPresent(s -> SpecException.require(s >= 60 && s <= 6000, "idle-timeout-seconds",
                s + " is outside 60-6000 seconds"));
        listenerQuota.ifPresent(q -> SpecException.require(q >= 1 && q <= 1000, "listener-quota",
                q + " is outside 1-1000"));
    }
}
