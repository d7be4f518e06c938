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
import java.util.TreeMap;

/**
 * Several finished runs together. Latency: every latency slice of every round of every run directory, per target, in
 * one histogram. Throughput: every round's produce and consume MB/s of every run, per CPU shape and target, and the
 * median of them all over direct's. One run's pooled p99 (1.2 million records per target by default) still moves by
 * about half a millisecond between runs of the same code on this machine, and a throughput ratio by about ±0.05;
 * pooling runs narrows both. Each run interleaves all its targets, so runs with the same targets pool fairly.
 */
final class PooledRuns {

    private PooledRuns() {
    }

    /** Both tables: throughput (from each run's raw.csv), then latency (from its probe logs). */
    static String report(List<Path> runDirs) throws IOException {
        return throughput(runDirs) + "\n" + latency(runDirs);
    }

    /**
     * Per CPU shape, per target (direct first): the rounds pooled, the median produce and consume MB/s over them and
     * that over direct's. Runs from before the {@code cpus} column (run 33) shared every CPU.
     */
    static String throughput(List<Path> runDirs) throws IOException {
        // shape -> kind -> target -> MB/s of every round of every run
        Map<String, Map<String, Map<String, List<Double>>>> runs = new TreeMap<>();
        for (Path dir : runDirs) {
            Path csv = dir.resolve("raw.csv");
            if (!Files.isRegularFile(csv)) {
                throw new BenchException(dir + ": no raw.csv here; give the directories of finished bench runs");
            }
            List<String> lines = Files.readAllLines(csv);
            List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split(",", -1));
            int kind = header.indexOf("kind");
            int target = header.indexOf("target");
            int mbPerSec = header.indexOf("mb_per_sec");
            int cpus = header.indexOf("cpus");
            if (kind < 0 || target < 0 || mbPerSec < 0) {
                throw new BenchException(csv + ": the first line is not the header of a bench run's raw.csv (kind, "
                        + "target, mb_per_sec)");
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                String k = cells[kind];
                if (!k.equals("produce") && !k.equals("consume")) {
                    continue;
                }
                String shape = cpus < 0 || cells[cpus].isEmpty() ? CpuShape.SHARED.csv() : cells[cpus];
                runs.computeIfAbsent(shape, x -> new TreeMap<>()).computeIfAbsent(k, x -> new LinkedHashMap<>())
                        .computeIfAbsent(cells[target], x -> new ArrayList<>()).add(Double.parseDouble(cells[mbPerSec]));
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Throughput pooled over %d runs (the median of every round's MB/s; ×direct: that over direct's):%n",
                runDirs.size()));
        runs.forEach((shape, byKind) -> {
            s.append(String.format(Locale.ROOT, "%n%s:%n%n", shape));
            s.append("| target | produce rounds | produce MB/s | produce ×direct | consume rounds | consume MB/s "
                    + "| consume ×direct |\n|---|---:|---:|---:|---:|---:|---:|\n");
            Map<String, List<Double>> produce = byKind.getOrDefault("produce", Map.of());
            Map<String, List<Double>> consume = byKind.getOrDefault("consume", Map.of());
            List<String> targets = new ArrayList<>(List.of("direct"));
            produce.keySet().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            consume.keySet().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            double directProduce = Results.median(produce.getOrDefault("direct", List.of()));
            double directConsume = Results.median(consume.getOrDefault("direct", List.of()));
            for (String t : targets) {
                List<Double> p = produce.getOrDefault(t, List.of());
                List<Double> c = consume.getOrDefault(t, List.of());
                s.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %d | %.1f | %.2f |%n", t, p.size(),
                        Results.median(p), Results.median(p) / directProduce, c.size(), Results.median(c),
                        Results.median(c) / directConsume));
            }
        });
        return s.toString();
    }

    /**
     * Per target (direct first): runs, records, pooled p50 / p99 / p99.9, p99 − direct's, and the mean with its ratio to
     * direct's (the figure PEERS.md gives the other proxies: "produce latency avg ×direct").
     */
    static String latency(List<Path> runDirs) throws IOException {
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
        s.append("| target | runs | records | p50 | p99 | p99.9 | p99 − direct | mean | mean ×direct |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        slices.forEach((target, list) -> {
            if (list.isEmpty()) {
                return;
            }
            LatencyResult r = LatencyResult.of(list);
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %+.2f | %.2f | %.2f |%n",
                    target, runs.getOrDefault(target, 0), r.acknowledged(), r.p50Ms(), r.p99Ms(), r.p999Ms(),
                    r.p99Ms() - direct.p99Ms(), r.meanMs(), r.meanMs() / direct.meanMs()));
        });
        return s.toString();
    }

    /** {@code PooledRuns RUN_DIR...}: the pooled tables of those runs. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: PooledRuns RUN_DIR...  (the directories of finished bench runs)");
            System.exit(2);
        }
        List<Path> dirs = new ArrayList<>();
        for (String a : args) {
            Path dir = Path.of(a);
            if (!Files.isDirectory(dir)) {
                System.err.println("PooledRuns: " + a + " is not a directory; give the directories of finished bench runs");
                System.exit(2);
            }
            dirs.add(dir);
        }
        try {
            System.out.print(report(dirs));
        } catch (BenchException e) {
            System.err.println("PooledRuns: " + e.getMessage());
            System.exit(1);
        }
    }
}
