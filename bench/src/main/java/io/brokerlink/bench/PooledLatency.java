package io.brokerlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The produce latency of several finished runs together: every latency slice of every round of every run directory,
 * per target, in one histogram. One run's pooled p99 (1.2 million records per target by default) still moves by about
 * half a millisecond between runs of the same code on this machine; pooling runs narrows it further. Each run
 * interleaves all its targets, so runs with the same targets pool fairly.
 */
final class PooledLatency {

    private PooledLatency() {
    }

    /** The table: per target (direct first), runs, records, pooled p50 / p99 / p99.9 and p99 − direct's. */
    static String report(List<Path> runDirs) throws IOException {
        Map<String, List<LatencySlice>> slices = new LinkedHashMap<>();
        Map<String, Integer> runs = new LinkedHashMap<>();
        slices.put("direct", new ArrayList<>());
        for (Path dir : runDirs) {
            List<Path> logs;
            try (var files = Files.list(dir)) {
                logs = files.filter(p -> p.getFileName().toString().matches("r\\d+-latency\\.log")).sorted().toList();
            }
            if (logs.isEmpty()) {
                throw new BenchException(dir + ": no rN-latency.log here; give the directories of finished bench runs");
            }
            Set<String> inThisRun = new HashSet<>();
            for (Path log : logs) {
                LatencyResult.parseProbeOutput(Files.readString(log), log.toString()).forEach((target, result) -> {
                    slices.computeIfAbsent(target, t -> new ArrayList<>()).addAll(result.slices());
                    inThisRun.add(target);
                });
            }
            inThisRun.forEach(t -> runs.merge(t, 1, Integer::sum));
        }
        if (slices.get("direct").isEmpty()) {
            throw new BenchException(runDirs + ": no latency slice of direct, the reference; these are not bench runs");
        }
        LatencyResult direct = LatencyResult.of(slices.get("direct"));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Produce latency pooled over %d runs (every slice of every round; ms):%n%n", runDirs.size()));
        s.append("| target | runs | records | p50 | p99 | p99.9 | p99 − direct |\n|---|---:|---:|---:|---:|---:|---:|\n");
        slices.forEach((target, list) -> {
            if (list.isEmpty()) {
                return;
            }
            LatencyResult r = LatencyResult.of(list);
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %+.2f |%n", target,
                    runs.getOrDefault(target, 0), r.acknowledged(), r.p50Ms(), r.p99Ms(), r.p999Ms(),
                    r.p99Ms() - direct.p99Ms()));
        });
        return s.toString();
    }

    /** {@code PooledLatency RUN_DIR...}: the pooled table of those runs. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: PooledLatency RUN_DIR...  (the directories of finished bench runs)");
            System.exit(2);
        }
        List<Path> dirs = new ArrayList<>();
        for (String a : args) {
            Path dir = Path.of(a);
            if (!Files.isDirectory(dir)) {
                System.err.println("PooledLatency: " + a + " is not a directory; give the directories of finished bench runs");
                System.exit(2);
            }
            dirs.add(dir);
        }
        try {
            System.out.print(report(dirs));
        } catch (BenchException e) {
            System.err.println("PooledLatency: " + e.getMessage());
            System.exit(1);
        }
    }
}
