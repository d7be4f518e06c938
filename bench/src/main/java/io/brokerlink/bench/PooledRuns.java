package io.brokerlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Several finished runs together. Latency: every latency slice of every round of every run directory, per target, in
 * one histogram. Throughput: every round's produce and consume MB/s of every run, per CPU shape and target, with the
 * median of each round's ratio to direct in that round (see {@link #throughput}). One run's pooled p99 (1.2 million
 * records per target by default) still moves by about half a millisecond between runs of the same code on this
 * machine, and a throughput ratio by about ±0.05; pooling runs narrows both. Each run interleaves all its targets,
 * so runs with the same targets pool fairly.
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
     * two ratios to direct. "Medians": the pooled median over direct's pooled median. "Paired": the median over every
     * round of that round's MB/s over direct's in the same round (same run, shape and kind), the "median
     * ratio". The two agree within one run; across runs the paired one is the fair figure, because the machine's state
     * moves every target's level between runs (direct's produce medians 12.8-24.8 MB/s in runs 33-40 on one CPU), so
     * the pooled medians can compare one target's rounds of a slow run with direct's rounds of a fast one. Runs from
     * before the {@code cpus} column (run 33) shared every CPU. "×same listener paired": the same against direct access
     * to the listener the target forwards to ({@link Baselines#sameListener}), round by round: direct-external for the
     * targets that forward by port (raw.csv's {@code forwards_to} column; before it, the target named portmap) in the
     * runs that measured it, direct otherwise.
     */
    static String throughput(List<Path> runDirs) throws IOException {
        // shape -> kind -> target -> MB/s of every round of every run
        Map<String, Map<String, Map<String, List<Double>>>> pooled = new TreeMap<>();
        // one measured round of one run: target -> MB/s, for the paired ratios
        Map<MeasuredRound, Map<String, Double>> rounds = new LinkedHashMap<>();
        // each run's targets that forward by port to the EXTERNAL listener
        Map<Integer, Set<String>> forwardByPort = new HashMap<>();
        for (int run = 0; run < runDirs.size(); run++) {
            Path dir = runDirs.get(run);
            Path csv = dir.resolve("raw.csv");
            if (!Files.isRegularFile(csv)) {
                throw new BenchException(dir + ": no raw.csv here; give the directories of finished bench runs");
            }
            List<String> lines = Files.readAllLines(csv);
            List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split(",", -1));
            int kind = header.indexOf("kind");
            int target = header.indexOf("target");
            int round = header.indexOf("round");
            int mbPerSec = header.indexOf("mb_per_sec");
            int cpus = header.indexOf("cpus");
            int forwardsTo = header.indexOf("forwards_to");
            Set<String> byPort = forwardByPort.computeIfAbsent(run, x -> new HashSet<>());
            if (forwardsTo < 0) {
                byPort.add(Baselines.PORTMAP_BEFORE_RUN_53);
            }
            if (kind < 0 || target < 0 || round < 0 || mbPerSec < 0) {
                throw new BenchException(csv + ": the first line is not the header of a bench run's raw.csv (kind, "
                        + "target, round, mb_per_sec)");
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                String k = cells[kind];
                if (!k.equals("produce") && !k.equals("consume")) {
                    continue;
                }
                if (forwardsTo >= 0 && cells[forwardsTo].equals("external") && !Baselines.isBaseline(cells[target])) {
                    byPort.add(cells[target]);
                }
                String shape = cpus < 0 || cells[cpus].isEmpty() ? CpuShape.SHARED.csv() : cells[cpus];
                double value = Double.parseDouble(cells[mbPerSec]);
                pooled.computeIfAbsent(shape, x -> new TreeMap<>()).computeIfAbsent(k, x -> new LinkedHashMap<>())
                        .computeIfAbsent(cells[target], x -> new ArrayList<>()).add(value);
                rounds.computeIfAbsent(new MeasuredRound(run, shape, k, cells[round]), x -> new LinkedHashMap<>())
                        .put(cells[target], value);
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Throughput pooled over %d runs (MB/s: the median of every round's; ×direct medians: that over "
                        + "direct's; ×direct paired: the median over the rounds of the round's MB/s over direct's in "
                        + "that round, in brackets the 95 %% interval of that median; ×same listener paired: the same "
                        + "against direct access to the listener the target forwards to, direct-external for the "
                        + "targets that forward by port in the runs that measured it):%n",
                runDirs.size()));
        pooled.forEach((shape, byKind) -> {
            s.append(String.format(Locale.ROOT, "%n%s:%n%n", shape));
            s.append("| target | produce rounds | produce MB/s | produce ×direct medians | produce ×direct paired "
                    + "| produce ×same listener paired | consume rounds | consume MB/s | consume ×direct medians "
                    + "| consume ×direct paired | consume ×same listener paired |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            Map<String, List<Double>> produce = byKind.getOrDefault("produce", Map.of());
            Map<String, List<Double>> consume = byKind.getOrDefault("consume", Map.of());
            List<String> targets = new ArrayList<>(List.of("direct"));
            produce.keySet().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            consume.keySet().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            for (String t : targets) {
                s.append("| ").append(t);
                for (String k : List.of("produce", "consume")) {
                    List<Double> values = byKind.getOrDefault(k, Map.of()).getOrDefault(t, List.of());
                    double direct = Results.median(byKind.getOrDefault(k, Map.of()).getOrDefault("direct", List.of()));
                    List<Double> ratios = new ArrayList<>();
                    List<Double> toBaseline = new ArrayList<>();
                    rounds.forEach((r, byTarget) -> {
                        if (r.shape().equals(shape) && r.kind().equals(k) && byTarget.containsKey(t)) {
                            if (byTarget.containsKey(Baselines.DIRECT)) {
                                ratios.add(byTarget.get(t) / byTarget.get(Baselines.DIRECT));
                            }
                            String baseline = Baselines.isBaseline(t) ? t
                                    : Baselines.sameListener(t, byTarget.keySet(), forwardByPort.get(r.run()));
                            if (byTarget.containsKey(baseline)) {
                                toBaseline.add(byTarget.get(t) / byTarget.get(baseline));
                            }
                        }
                    });
                    s.append(String.format(Locale.ROOT, " | %d | %.1f | %.2f | %s | %s", values.size(),
                            Results.median(values), Results.median(values) / direct, withInterval(ratios),
                            withInterval(toBaseline)));
                }
                s.append(" |\n");
            }
        });
        return s.toString();
    }

    /** Coverage of {@link #medianInterval}. */
    static final double INTERVAL_COVERAGE = 0.95;

    /** The median and, from 6 values on, its {@link #medianInterval} in brackets. */
    private static String withInterval(List<Double> values) {
        double[] interval = medianInterval(values);
        return interval == null ? String.format(Locale.ROOT, "%.2f", Results.median(values))
                : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", Results.median(values), interval[0], interval[1]);
    }

    /**
     * A distribution-free interval for the median of {@code values} with at least {@value #INTERVAL_COVERAGE} coverage:
     * the k-th smallest and k-th largest value, k the largest rank such that fewer than k of n values fall below the
     * median with probability at most (1 − coverage) / 2 (each value lies below it with probability 1/2). Null below 6
     * values, where no such rank exists. Across runs the rounds' ratios scatter widely (SD about 0.12 for produce on
     * one CPU), so the interval says whether a paired median clears a target or only touches it.
     */
    static double[] medianInterval(List<Double> values) {
        int n = values.size();
        double tail = (1 - INTERVAL_COVERAGE) / 2;
        double below = 0; // P(at most i of n below the median)
        double pmf = Math.pow(0.5, n); // P(exactly i), from i = 0
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (below + pmf > tail) {
                break;
            }
            below += pmf;
            k = i + 1;
            pmf = pmf * (n - i) / (i + 1);
        }
        if (k < 1) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return new double[] {sorted.get(k - 1), sorted.get(n - k)};
    }

    /** One round's produce or consume runs in one CPU shape of one run: the unit the paired ratios compare within. */
    private record MeasuredRound(int run, String shape, String kind, String round) {
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
