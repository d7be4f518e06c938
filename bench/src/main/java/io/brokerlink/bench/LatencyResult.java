package io.brokerlink.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One target's latency over several {@link LatencySlice}s: a round's slices (what a round's p99 is computed over), or
 * every round's slices pooled. Percentiles come from the merged histogram, in milliseconds with microsecond
 * resolution (HdrHistogram: the highest value of the bucket holding the percentile's record, within 0.1 %).
 */
record LatencyResult(String target, List<LatencySlice> slices, Histogram latencies) {

    LatencyResult {
        slices = List.copyOf(slices);
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("a latency result of " + target + " needs at least one slice");
        }
        if (slices.stream().anyMatch(s -> !s.target().equals(target))) {
            throw new IllegalArgumentException("a latency result of " + target + " holds slices of "
                    + slices.stream().map(LatencySlice::target).distinct().toList());
        }
    }

    static LatencyResult of(List<LatencySlice> slices) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("a latency result needs at least one slice");
        }
        Histogram merged = LatencySlice.newHistogram();
        slices.forEach(s -> merged.add(s.latencies()));
        return new LatencyResult(slices.get(0).target(), slices, merged);
    }

    /** Every record of every round of one target in one histogram: the pooled p99. */
    static LatencyResult pooled(List<LatencyResult> rounds) {
        return of(rounds.stream().flatMap(r -> r.slices().stream()).toList());
    }

    long sent() {
        return slices.stream().mapToLong(LatencySlice::sent).sum();
    }

    long acknowledged() {
        return latencies.getTotalCount();
    }

    long failed() {
        return slices.stream().mapToLong(LatencySlice::failed).sum();
    }

    long late() {
        return slices.stream().mapToLong(LatencySlice::late).sum();
    }

    long maxLagMicros() {
        return slices.stream().mapToLong(LatencySlice::maxLagMicros).max().orElse(0);
    }

    /** The latency at {@code percentile} (0-100) in ms; NaN when no record was acknowledged. */
    double percentileMs(double percentile) {
        return acknowledged() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    double p50Ms() {
        return percentileMs(50);
    }

    double p99Ms() {
        return percentileMs(99);
    }

    double p999Ms() {
        return percentileMs(99.9);
    }

    double meanMs() {
        return acknowledged() == 0 ? Double.NaN : latencies.getMean() / 1000.0;
    }

    /**
     * The {@code latency-slice} lines of one probe run, per target in the order the probe measured them. Every target
     * must have the same slices 1..K, each once: a missing or repeated slice means the probe's output is not whole.
     */
    static Map<String, LatencyResult> parseProbeOutput(String output, String where) {
        Map<String, List<LatencySlice>> byTarget = new LinkedHashMap<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (LatencySlice.isSliceLine(line)) {
                LatencySlice s = LatencySlice.parse(line, where + ":" + (i + 1));
                byTarget.computeIfAbsent(s.target(), t -> new ArrayList<>()).add(s);
            }
        }
        if (byTarget.isEmpty()) {
            throw new BenchException(where + ": the latency probe printed no " + LatencySlice.PREFIX.strip()
                    + " line:\n" + ChildJvm.tail(output));
        }
        int expected = byTarget.values().iterator().next().size();
        Map<String, LatencyResult> out = new LinkedHashMap<>();
        byTarget.forEach((target, slices) -> {
            List<Integer> numbers = slices.stream().map(LatencySlice::slice).toList();
            List<Integer> wanted = java.util.stream.IntStream.rangeClosed(1, expected).boxed().toList();
            if (!numbers.equals(wanted)) {
                throw new BenchException(where + ": target " + target + " has slices " + numbers + "; every target "
                        + "needs slices " + wanted + " in order");
            }
            out.put(target, of(slices));
        });
        return out;
    }
}
