package io.brokerlink.bench;

import java.util.Collection;

/**
 * The direct measurements (no gateway) a run makes, and which one each gateway target's throughput is judged against:
 * direct access to the listener that gateway fronts. The rewrite targets front the brokers' INTERNAL listener, which
 * {@value #DIRECT} uses. The portmap target's clients arrive on the EXTERNAL listener (the brokers advertise the
 * endpoint's names and ports there, as portmap mode needs); {@value #DIRECT_EXTERNAL} connects to that listener
 * straight. The listener matters on its own: on INTERNAL the producer's requests share the network threads with
 * replication, on EXTERNAL they have threads of their own, which cost the brokers more CPU per MiB on a busy CPU
 * (BENCHMARKS.md, runs 42 onwards). ×direct stays reported for every target.
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

    /** What {@code target}'s throughput is judged against, given the names a run measured. */
    static String of(String target, Collection<String> measured) {
        return target.equals(BenchMain.EXTERNAL_TARGET) && measured.contains(DIRECT_EXTERNAL)
                ? DIRECT_EXTERNAL : DIRECT;
    }
}
