package io.brokerlink.bench;

import java.util.Collection;

/**
 * The direct measurements (no gateway) a run makes. {@value #DIRECT} connects to the brokers' INTERNAL listener, the
 * one replication uses too, and every target is judged against it. When a target that forwards by port is measured
 * (portmap, or a program such as HAProxy), {@value #DIRECT_EXTERNAL} connects straight to the EXTERNAL listener, the
 * one such targets forward to (the brokers advertise the endpoint's names and ports there): on INTERNAL the
 * producer's requests share the brokers' network threads with replication, on EXTERNAL they have threads of their
 * own. Their ratio to it is reported beside, to tell what the listener costs from what the gateway costs
 * (BENCHMARKS.md, runs 42 onwards: the listener alone cost nothing measurable).
 */
final class Baselines {

    /** Clients on the brokers' INTERNAL listener, the one replication uses too. */
    static final String DIRECT = "direct";
    /** Clients on the brokers' EXTERNAL listener, with no gateway in between (throughput only). */
    static final String DIRECT_EXTERNAL = "direct-external";

    private Baselines() {
    }

    static boolean isBaseline(String name) {
        return name.equals(DIRECT) || name.equals(DIRECT_EXTERNAL);
    }

    /**
     * The direct measurement on the listener {@code target} forwards to, given the names a run measured and the
     * targets of it that forward by port (to the EXTERNAL listener).
     */
    static String sameListener(String target, Collection<String> measured, Collection<String> forwardByPort) {
        return forwardByPort.contains(target) && measured.contains(DIRECT_EXTERNAL) ? DIRECT_EXTERNAL : DIRECT;
    }

    /**
     * Runs from before the {@code forwards_to} column of raw.csv (run 53) measured one target that forwards by port,
     * and it was named this.
     */
    static final String PORTMAP_BEFORE_RUN_53 = "portmap";
}
