package io.brokerlink.bench;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which CPUs the gateways run on and which the rest (the harness with the brokers, and the tools' JVMs it starts)
 * in the {@link CpuShape#GATEWAY_APART} phases: a deployment gives the gateway a machine of its own, while on this
 * 2-CPU machine it otherwise takes its CPU from the brokers and the client. Each gateway JVM starts under
 * {@code taskset -c GATEWAY_CPUS} (its thread pools sized as on a machine of that many CPUs); {@link CpuPlacement}
 * moves the processes between the shapes. Direct runs use only the rest too, so every target has the same CPUs for the
 * brokers and the client.
 *
 * @param gateway CPUs for the gateway JVMs
 * @param rest    every other CPU of the machine: the brokers, the tools, the harness
 */
record CpuSplit(Set<Integer> gateway, Set<Integer> rest) {

    CpuSplit {
        gateway = Set.copyOf(gateway);
        rest = Set.copyOf(rest);
        if (gateway.isEmpty() || rest.isEmpty()) {
            throw new BenchException("--gateway-cpus: the gateways and the rest need at least one CPU each; was "
                    + gateway + " for the gateways, " + rest + " for the rest");
        }
    }

    /**
     * @param list a taskset CPU list: numbers and ranges, comma separated ({@code 1}, {@code 1,3}, {@code 2-3})
     * @param cpus the machine's CPU count ({@link Runtime#availableProcessors()})
     */
    static CpuSplit parse(String list, int cpus) {
        Set<Integer> gateway = new TreeSet<>();
        for (String p : list.split(",")) {
            Set<Integer> part = cpuSet(p, "--gateway-cpus");
            if (part.stream().anyMatch(c -> c >= cpus)) {
                throw new BenchException("--gateway-cpus: \"" + p.trim() + "\" is not within CPUs 0-" + (cpus - 1)
                        + " of this machine");
            }
            gateway.addAll(part);
        }
        Set<Integer> rest = new TreeSet<>();
        for (int c = 0; c < cpus; c++) {
            if (!gateway.contains(c)) {
                rest.add(c);
            }
        }
        return new CpuSplit(gateway, rest);
    }

    /**
     * Without {@code --gateway-cpus}: the last CPU for the gateways and the others for the rest, on a machine with two
     * or more; on one CPU there is nothing to split.
     */
    static Optional<CpuSplit> defaultFor(int cpus) {
        return cpus >= 2 ? Optional.of(parse(Integer.toString(cpus - 1), cpus)) : Optional.empty();
    }

    /**
     * A CPU list as taskset and {@code /proc/PID/status}'s {@code Cpus_allowed_list} write it ({@code 1},
     * {@code 0-1}, {@code 0,2-3}).
     *
     * @param what names the input in the error message
     */
    static Set<Integer> cpuSet(String list, String what) {
        Set<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 0 || from > to) {
                    throw new BenchException(what + ": \"" + p + "\" is not a CPU range; use a list such as 1 or "
                            + "1,3 or 2-3");
                }
                for (int c = from; c <= to; c++) {
                    cpus.add(c);
                }
            } catch (NumberFormatException e) {
                throw new BenchException(what + ": \"" + p + "\" is not a CPU number or range; use a list "
                        + "such as 1 or 1,3 or 2-3");
            }
        }
        return cpus;
    }

    /** Every CPU of the split: what a process gets when every process shares every CPU. */
    Set<Integer> all() {
        Set<Integer> all = new TreeSet<>(gateway);
        all.addAll(rest);
        return all;
    }

    /** {@code 1} or {@code 0,2}: as taskset takes it. */
    static String list(Set<Integer> cpus) {
        return new TreeSet<>(cpus).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    String describe() {
        return "gateways on CPU " + list(gateway) + ", the brokers and the clients on CPU " + list(rest);
    }
}
