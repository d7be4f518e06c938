package io.brokerlink.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Where the brokers run, which decides the load balancer, its limits and the Terraform provider. */
public enum Cloud {
    /** NLB + PrivateLink. 50 listeners per network load balancer, not adjustable. */
    AWS("aws", 50, false, true),
    /** Port-mapping NEG + Private Service Connect: one forwarding rule for all ports, no bootstrap port. */
    GCP("gcp", 0, false, false),
    /** NLB + PrivateLink. 50 listeners per load balancer by default; the quota can be raised. */
    ALICLOUD("alicloud", 50, true, true),
    /** No cloud load balancer: BrokerLink's own gateway (portmap mode) does the mapping. */
    GENERIC("generic", 0, false, true);

    private final String id;
    private final int defaultListenerLimit;
    private final boolean listenerLimitAdjustable;
    private final boolean loadBalancedBootstrap;

    Cloud(String id, int defaultListenerLimit, boolean listenerLimitAdjustable, boolean loadBalancedBootstrap) {
        this.id = id;
        this.defaultListenerLimit = defaultListenerLimit;
        this.listenerLimitAdjustable = listenerLimitAdjustable;
        this.loadBalancedBootstrap = loadBalancedBootstrap;
    }

    public String id() {
        return id;
    }

    /** Listener limit of one load balancer, empty when the cloud has none that matters here. */
    public OptionalInt defaultListenerLimit() {
        return defaultListenerLimit == 0 ? OptionalInt.empty() : OptionalInt.of(defaultListenerLimit);
    }

    public boolean listenerLimitAdjustable() {
        return listenerLimitAdjustable;
    }

    /** False on Google Cloud port mapping: nothing load-balances a bootstrap port there. */
    public boolean loadBalancedBootstrap() {
        return loadBalancedBootstrap;
    }

    public boolean hasTerraform() {
        return this != GENERIC;
    }

    public static Cloud fromId(String value, String field) {
        for (Cloud cloud : values()) {
            if (cloud.id.equals(value.toLowerCase(Locale.ROOT))) {
                return cloud;
            }
        }
        throw new SpecException(field, "\"" + value + "\" is not one of " + Arrays.stream(values())
                .map(Cloud::id).collect(Collectors.joining(", ")));
    }
}
