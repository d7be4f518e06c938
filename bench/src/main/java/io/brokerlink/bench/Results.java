package io.brokerlink.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Every measurement of a run, per target in run order, and the tables made from them (medians, ratios to direct).
 * Throughput is kept per {@link CpuShape}: with the gateways on CPUs of their own it is what the targets are judged
 * on, and the same runs with every process sharing every CPU are reported beside it.
 */
final class Results {

    static final double THROUGHPUT_TARGET = 0.95;
    static final double P99_TARGET_MS = 1.0;
    static final double HEAP_TARGET_MIB = 256;

    record Heap(HeapProbe.Reading idle, HeapProbe.Reading withClients, int connections) {
    }

    /** The targets that forward by port to the brokers' EXTERNAL listener ({@link Baselines}). */
    private final Set<String> forwardByPort;
    private final Map<CpuShape, Throughput> throughput = new EnumMap<>(CpuShape.class);
    private final Map<String, List<LatencyResult>> latency = new LinkedHashMap<>();
    private final Map<String, Heap> heap = new LinkedHashMap<>();
    /** Each round's produce and consume order ({@link BenchMain#roundOrder}), by round from 1. */
    private final Map<Integer, List<String>> orders = new LinkedHashMap<>();
    private int round;

    /** @param forwardByPort the targets that forward by port to the brokers' EXTERNAL listener ({@link Baselines}) */
    Results(Set<String> forwardByPort) {
        this.forwardByPort = Set.copyOf(forwardByPort);
    }

    /** A round begins: what is recorded from now on belongs to it, and its targets run in this order. */
    void round(int round, List<String> order) {
        this.round = round;
        orders.put(round, List.copyOf(order));
    }

    /** The throughput runs made in one shape. */
    Throughput throughput(CpuShape shape) {
        return throughput.computeIfAbsent(shape, Throughput::new);
    }

    /** What the targets are judged on: the gateways apart when the run measured that shape, else shared. */
    CpuShape judged() {
        return throughput.containsKey(CpuShape.GATEWAY_APART) ? CpuShape.GATEWAY_APART : CpuShape.SHARED;
    }

    /** The produce and consume runs of one {@link CpuShape}, with the CPU each used. */
    final class Throughput {

        private final CpuShape shape;
        private final Map<String, List<ProduceResult>> produce = new LinkedHashMap<>();
        private final Map<String, List<ConsumeResult>> consume = new LinkedHashMap<>();
        /**
         * CPU per MiB moved and the share of CPUs busy, per series ({@code target/kind} for the gateway,
         * {@code brokers:}, {@code jit:}, {@code machine:}, {@code busy:} prefixes) and round: one value per round.
         */
        private final Map<String, Map<Integer, Double>> perRoundFigures = new LinkedHashMap<>();

        private Throughput(CpuShape shape) {
            this.shape = shape;
        }

        private void perRound(String series, double value) {
            perRoundFigures.computeIfAbsent(series, k -> new LinkedHashMap<>()).put(round, value);
        }

        private List<Double> series(String series) {
            return List.copyOf(perRoundFigures.getOrDefault(series, Map.of()).values());
        }

        void produce(String target, ProduceResult r) {
            produce.computeIfAbsent(target, t -> new ArrayList<>()).add(r);
        }

        void consume(String target, ConsumeResult r) {
            consume.computeIfAbsent(target, t -> new ArrayList<>()).add(r);
        }

        void gatewayCpu(String target, String kind, long cpuMillis, double mib) {
            if (!Baselines.isBaseline(target) && mib > 0) {
                perRound(target + "/" + kind, cpuMillis / mib);
            }
        }

        /** The part of {@link #gatewayCpu} its JIT compiler threads used. */
        void gatewayJit(String target, String kind, long cpuMillis, double mib) {
            if (!Baselines.isBaseline(target) && mib > 0) {
                perRound("jit:" + target + "/" + kind, cpuMillis / mib);
            }
        }

        void brokersCpu(String target, String kind, long cpuMillis, double mib) {
            if (mib > 0) {
                perRound("brokers:" + target + "/" + kind, cpuMillis / mib);
            }
        }

        /**
         * The whole machine during one run (every process and the kernel, from /proc/stat): CPU milliseconds per MiB
         * and the share of all CPUs that was busy. A run with the CPUs near 100 % busy is CPU-bound: there, whatever a
         * gateway spends per MiB is taken from the brokers and the client, and throughput falls with it.
         */
        void machineCpu(String target, String kind, long busyMillis, double busyShare, double mib) {
            if (mib > 0) {
                perRound("machine:" + target + "/" + kind, busyMillis / mib);
                perRound("busy:" + target + "/" + kind, busyShare * 100);
            }
        }

        double produceRatio(String target) {
            return produceRatio(target, Baselines.DIRECT);
        }

        double consumeRatio(String target) {
            return consumeRatio(target, Baselines.DIRECT);
        }

        double produceRatio(String target, String baseline) {
            return median(produce, target, ProduceResult::mbPerSec) / median(produce, baseline, ProduceResult::mbPerSec);
        }

        double consumeRatio(String target, String baseline) {
            return median(consume, target, ConsumeResult::fetchMbPerSec)
                    / median(consume, baseline, ConsumeResult::fetchMbPerSec);
        }

        /** The direct measurement on the listener {@code target} forwards to ({@link Baselines#sameListener}). */
        String sameListener(String target) {
            return Baselines.sameListener(target, produce.keySet(), forwardByPort);
        }

        /** Each target whose listener is not direct's: its ratios to direct access to that listener. */
        private void appendSameListener(StringBuilder s, List<String> order) {
            for (String t : order) {
                String baseline = sameListener(t);
                if (!Baselines.isBaseline(t) && !baseline.equals(Baselines.DIRECT)) {
                    s.append(String.format(Locale.ROOT, "%n%s against %s (direct access to the listener it forwards "
                                    + "to; reported beside, judged against direct): produce ×%.2f, consume ×%.2f%n", t,
                            baseline, produceRatio(t, baseline), consumeRatio(t, baseline)));
                }
            }
        }

        private void appendTable(StringBuilder s, List<String> order) {
            s.append("| target | produce MB/s | produce ×direct | consume MB/s | consume ×direct |\n");
            s.append("|---|---:|---:|---:|---:|\n");
            for (String t : order) {
                s.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %.2f |%n", t,
                        median(produce, t, ProduceResult::mbPerSec), produceRatio(t),
                        median(consume, t, ConsumeResult::fetchMbPerSec), consumeRatio(t)));
            }
        }

        private String perRoundCells(String target) {
            return String.format(Locale.ROOT, "produce MB/s [%s], consume MB/s [%s]",
                    rounds(produce, target, ProduceResult::mbPerSec, "%.1f"),
                    rounds(consume, target, ConsumeResult::fetchMbPerSec, "%.1f"));
        }

        private void appendPositions(StringBuilder s, String label) {
            s.append(positions("produce" + label, byPosition(orders, produce, ProduceResult::mbPerSec)));
            s.append(positions("consume" + label, byPosition(orders, consume, ConsumeResult::fetchMbPerSec)));
        }

        private void appendCpuTable(StringBuilder s, List<String> order) {
            s.append("| target | produce: brokers CPU ms/MiB | produce: gateway CPU ms/MiB (JIT) "
                    + "| produce: machine CPU ms/MiB (CPUs busy) "
                    + "| consume: brokers CPU ms/MiB | consume: gateway CPU ms/MiB (JIT) "
                    + "| consume: machine CPU ms/MiB (CPUs busy) |\n|---|---:|---:|---:|---:|---:|---:|\n");
            for (String t : order) {
                s.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %s | %.2f | %s | %s |%n", t,
                        median(series("brokers:" + t + "/produce")),
                        gatewayCpuCell(t, "produce"), machineCpuCell(t, "produce"),
                        median(series("brokers:" + t + "/consume")),
                        gatewayCpuCell(t, "consume"), machineCpuCell(t, "consume")));
            }
        }

        private String gatewayCpuCell(String target, String kind) {
            if (Baselines.isBaseline(target)) {
                return "-";
            }
            return String.format(Locale.ROOT, "%.2f (%.2f)",
                    median(series(target + "/" + kind)), median(series("jit:" + target + "/" + kind)));
        }

        private String machineCpuCell(String target, String kind) {
            List<Double> perMib = series("machine:" + target + "/" + kind);
            if (perMib.isEmpty()) {
                return "-";
            }
            return String.format(Locale.ROOT, "%.2f (%.0f %%)", median(perMib),
                    median(series("busy:" + target + "/" + kind)));
        }

        /**
         * A tool run's place in its round (from 1), its CPU per MiB, the shape and the listener it reached (the EXTERNAL
         * one through a target that forwards by port, or direct-external): the CSV's last seven columns.
         */
        private String runColumns(String target, String kind, int round) {
            List<String> order = orders.get(round);
            int position = order == null ? -1 : order.indexOf(target);
            return String.join(",", position < 0 ? "" : Integer.toString(position + 1),
                    cell("machine:" + target + "/" + kind, round), cell("busy:" + target + "/" + kind, round),
                    cell("brokers:" + target + "/" + kind, round), cell(target + "/" + kind, round), shape.csv(),
                    forwardByPort.contains(target) || target.equals(Baselines.DIRECT_EXTERNAL) ? "external"
                            : "internal");
        }

        private String cell(String series, int round) {
            Double v = perRoundFigures.getOrDefault(series, Map.of()).get(round);
            return v == null ? "" : String.format(Locale.ROOT, "%.3f", v);
        }

        private void appendCsv(StringBuilder s) {
            produce.forEach((t, list) -> {
                for (int i = 0; i < list.size(); i++) {
                    ProduceResult r = list.get(i);
                    s.append(String.format(Locale.ROOT, "produce,%s,%d,,%.2f,%.1f,%.2f,%d,%d,%d,%d,,,%s%n", t, i + 1,
                            r.mbPerSec(), r.recordsPerSec(), r.avgLatencyMs(), r.p50Ms(), r.p99Ms(), r.p999Ms(),
                            r.records(), runColumns(t, "produce", i + 1)));
                }
            });
            consume.forEach((t, list) -> {
                for (int i = 0; i < list.size(); i++) {
                    ConsumeResult r = list.get(i);
                    s.append(String.format(Locale.ROOT, "consume,%s,%d,,%.2f,%.1f,,,,,%d,,,%s%n", t, i + 1,
                            r.fetchMbPerSec(), r.records() * 1000.0 / r.fetchMs(), r.records(),
                            runColumns(t, "consume", i + 1)));
                }
            });
        }
    }

    void latency(String target, LatencyResult r) {
        latency.computeIfAbsent(target, t -> new ArrayList<>()).add(r);
    }

    void heap(String target, HeapProbe.Reading idle, HeapProbe.Reading with, int connections) {
        heap.put(target, new Heap(idle, with, connections));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static <T> double median(Map<String, List<T>> m, String target, ToDoubleFunction<T> f) {
        return median(m.getOrDefault(target, List.of()).stream().map(f::applyAsDouble).toList());
    }

    private static <T> String rounds(Map<String, List<T>> m, String target, ToDoubleFunction<T> f, String format) {
        return String.join(" ", m.getOrDefault(target, List.of()).stream()
                .map(r -> String.format(Locale.ROOT, format, f.applyAsDouble(r))).toList());
    }

    /** Every round's records of a target pooled into one histogram; null before any latency round. */
    private LatencyResult pooled(String target) {
        List<LatencyResult> rounds = latency.getOrDefault(target, List.of());
        return rounds.isEmpty() ? null : LatencyResult.pooled(rounds);
    }

    private double pooledP99(String target) {
        LatencyResult p = pooled(target);
        return p == null ? Double.NaN : p.p99Ms();
    }

    String table(List<String> order, BenchOptions o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Medians of %d interleaved rounds; ×direct = median through the target / "
                + "median direct. Produce: %d × 1 KiB records, acks=all%s. Consume: %d records, fetch MB/s (group join "
                + "excluded).%n", orders.size(), o.produceRecords(), o.produceWarmupRecords() == 0 ? ""
                        : String.format(Locale.ROOT, ", the last %d counted (steady state after %d warm-up records)",
                                o.produceRecords() - o.produceWarmupRecords(), o.produceWarmupRecords()),
                o.consumeRecords()));
        CpuShape judged = judged();
        for (Map.Entry<CpuShape, Throughput> e : throughput.entrySet()) {
            boolean isJudged = e.getKey() == judged;
            s.append(String.format(Locale.ROOT, "%nThroughput, %s (%s):%n%n", e.getKey().description(),
                    isJudged ? "the targets are judged on this" : "reported beside, not judged: the gateway's kernel "
                            + "work is taken from the brokers' and the client's CPUs, which no deployment does"));
            e.getValue().appendTable(s, order);
            e.getValue().appendSameListener(s, order);
        }
        s.append(String.format(Locale.ROOT, "%nLatency (LatencyProbe, one JVM per round, every process sharing every "
                + "CPU): per target and round %d × "
                + "1 KiB records at %d records/s (%s), acks=all, linger 0, in %d slices of %.2f s; the targets' "
                + "slices interleaved (%d rotations over all targets, each starting one target later) after %d "
                + "warm-up records per target; send() to acknowledgement in µs. p50 / p99 / p99.9: median over the rounds of each round's value "
                + "(over that round's slices); pooled: every round's records in one histogram. Late: sent more than "
                + "1 ms behind the schedule.%n%n", o.latencyRecords(), o.latencyRate(),
                o.latencyTickMicros() == 0 ? "evenly spaced" : "those due within " + o.latencyTickMicros()
                        + " µs sent together", o.latencySlices(),
                o.latencyRecords() / (double) o.latencySlices() / o.latencyRate(), o.latencySlices(),
                o.latencyWarmupRecords()));
        s.append("| target | p50 ms | p99 ms | p99.9 ms | p99 − direct (ms) | pooled p99 ms | pooled p99 − direct (ms) "
                + "| mean ms | sent | failed | late |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double dP99 = median(latency, "direct", LatencyResult::p99Ms);
        double dPooled = pooledP99("direct");
        for (String t : order) {
            double p99 = median(latency, t, LatencyResult::p99Ms);
            List<LatencyResult> rounds = latency.getOrDefault(t, List.of());
            if (rounds.isEmpty() && !latency.isEmpty()) {
                continue; // measured for throughput only (direct-external)
            }
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %+.2f | %.2f | %+.2f | %.2f | %d | %d "
                            + "| %d |%n", t, median(latency, t, LatencyResult::p50Ms), p99,
                    median(latency, t, LatencyResult::p999Ms), p99 - dP99, pooledP99(t), pooledP99(t) - dPooled,
                    median(latency, t, LatencyResult::meanMs), rounds.stream().mapToLong(LatencyResult::sent).sum(),
                    rounds.stream().mapToLong(LatencyResult::failed).sum(),
                    rounds.stream().mapToLong(LatencyResult::late).sum()));
        }
        boolean severalShapes = throughput.size() > 1;
        s.append("\nPer round (in run order):\n\n");
        for (String t : order) {
            List<String> parts = new ArrayList<>();
            throughput.forEach((shape, th) -> parts.add((severalShapes ? shape.csv() + ": " : "")
                    + th.perRoundCells(t)));
            if (latency.containsKey(t)) {
                parts.add(String.format(Locale.ROOT, "latency p50 ms [%s], p99 ms [%s], p99.9 ms [%s]",
                        rounds(latency, t, LatencyResult::p50Ms, "%.2f"),
                        rounds(latency, t, LatencyResult::p99Ms, "%.2f"),
                        rounds(latency, t, LatencyResult::p999Ms, "%.2f")));
            }
            s.append("- ").append(t).append(": ").append(String.join(severalShapes ? "; " : ", ", parts)).append('\n');
        }
        if (orders.size() > 1 && order.size() > 1) {
            s.append("\nOrder within the round: the throughput of the run at each position over its round's median, "
                    + "median over the rounds (1.00: the position does not matter; the order rotates, so each target "
                    + "takes each position equally often when the rounds are a multiple of the targets):\n\n");
            throughput.forEach((shape, th) -> th.appendPositions(s, severalShapes ? " (" + shape.csv() + ")" : ""));
        }
        if (order.size() > 1 && orders.size() % order.size() != 0) {
            s.append(String.format(Locale.ROOT, "%nUnbalanced order: %d rounds for %d targets, so some targets ran "
                    + "first more often than others (the first consumer of a round is the slowest, see "
                    + "BENCHMARKS.md, Method); use a multiple of %d for --rounds.%n", orders.size(), order.size(),
                    order.size()));
        }
        if (throughput.values().stream().anyMatch(th -> !th.perRoundFigures.isEmpty())) {
            s.append("\nCPU per MiB moved (user + system; the gateway process from /proc, in brackets the part its JIT "
                    + "compiler threads used; the three brokers from their JVM), median over the rounds. Unlike "
                    + "throughput, this hardly depends on how busy the machine is.\n");
            throughput.forEach((shape, th) -> {
                s.append("\n").append(capitalised(shape.description())).append(":\n\n");
                th.appendCpuTable(s, order);
            });
            s.append("\nMachine: every process and the kernel (/proc/stat), per MiB and as the share of all CPUs busy "
                    + "during the run: near 100 % the run was CPU-bound, and a gateway's CPU per MiB comes out of the "
                    + "brokers' and the client's when they share the CPUs.\n");
        }
        if (!heap.isEmpty()) {
            s.append("\n| gateway | heap used after full GC, no clients (MiB) | with idle clients (MiB) "
                    + "| idle clients | per connection (KiB) | RSS with clients (MiB) |\n");
            s.append("|---|---:|---:|---:|---:|---:|\n");
            heap.forEach((t, h) -> s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %d | %.1f | %.0f |%n",
                    t, h.idle().heapUsedMiB(), h.withClients().heapUsedMiB(), h.connections(),
                    (h.withClients().heapUsedMiB() - h.idle().heapUsedMiB()) * 1024 / h.connections(),
                    h.withClients().rssMiB())));
        }
        s.append("\nTargets (issue 4): throughput ≥ ").append(THROUGHPUT_TARGET).append("× direct with ")
                .append(judged.description()).append(", p99 within ")
                .append(P99_TARGET_MS).append(" ms of direct (the p99 of all rounds' records pooled, steadier "
                        + "than the median of the rounds' p99 in brackets), heap ≤ ").append((int) HEAP_TARGET_MIB)
                .append(" MiB with the idle clients.\n\n");
        Throughput judgedRuns = throughput.getOrDefault(judged, new Throughput(judged));
        for (String t : order) {
            if (Baselines.isBaseline(t)) {
                continue;
            }
            String sameListener = judgedRuns.sameListener(t);
            double pr = judgedRuns.produceRatio(t);
            double cr = judgedRuns.consumeRatio(t);
            // Pooled: in A/A runs (three identical direct targets) it spread 1.2 ms where the rounds' median spread
            // 2.8 ms (BENCHMARKS.md, Method).
            double dp = pooledP99(t) - dPooled;
            s.append(String.format(Locale.ROOT, "- %s: produce %.2f %s, consume %.2f %s%s, p99 %+.2f ms (median of "
                    + "rounds %+.2f) %s", t, pr, verdict(pr >= THROUGHPUT_TARGET), cr, verdict(cr >= THROUGHPUT_TARGET),
                    sameListener.equals(Baselines.DIRECT) ? "" : String.format(Locale.ROOT, " (×%s: produce %.2f, "
                            + "consume %.2f)", sameListener, judgedRuns.produceRatio(t, sameListener),
                            judgedRuns.consumeRatio(t, sameListener)),
                    dp, median(latency, t, LatencyResult::p99Ms) - dP99, verdict(dp <= P99_TARGET_MS)));
            long failed = latency.getOrDefault(t, List.of()).stream().mapToLong(LatencyResult::failed).sum();
            if (failed > 0) {
                s.append(String.format(Locale.ROOT, " with %d failed sends", failed));
            }
            Heap h = heap.get(t);
            if (h != null) {
                s.append(String.format(Locale.ROOT, ", heap %.1f MiB %s", h.withClients().heapUsedMiB(),
                        verdict(h.withClients().heapUsedMiB() <= HEAP_TARGET_MIB)));
            }
            throughput.forEach((shape, th) -> {
                if (shape != judged) {
                    s.append(String.format(Locale.ROOT, "; %s: produce %.2f, consume %.2f (not judged)",
                            shape.description(), th.produceRatio(t), th.consumeRatio(t)));
                }
            });
            s.append('\n');
        }
        return s.toString();
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String verdict(boolean met) {
        return met ? "(met)" : "(MISSED)";
    }

    /**
     * Each position in the rounds' order, the median over the rounds of the throughput of whichever target ran there
     * divided by its round's median throughput: 1.00 throughout when the order does not matter. Each target takes
     * each position equally often over as many rounds as there are targets, so an order effect adds noise to the
     * ratios without favouring a target, as long as the rounds are a multiple of the targets.
     */
    static <T> List<Double> byPosition(Map<Integer, List<String>> orders, Map<String, List<T>> runs,
                                       ToDoubleFunction<T> throughput) {
        List<List<Double>> relative = new ArrayList<>();
        orders.forEach((round, order) -> {
            List<Double> values = new ArrayList<>();
            for (String t : order) {
                List<T> list = runs.getOrDefault(t, List.of());
                if (list.size() < round) {
                    return; // this round did not get this far
                }
                values.add(throughput.applyAsDouble(list.get(round - 1)));
            }
            double median = median(values);
            for (int i = 0; i < values.size(); i++) {
                while (relative.size() <= i) {
                    relative.add(new ArrayList<>());
                }
                relative.get(i).add(values.get(i) / median);
            }
        });
        return relative.stream().map(Results::median).toList();
    }

    private String positions(String kind, List<Double> byPosition) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < byPosition.size(); i++) {
            cells.add(String.format(Locale.ROOT, "position %d %.2f", i + 1, byPosition.get(i)));
        }
        return "- " + kind + ": " + String.join(", ", cells) + "\n";
    }

    String csv() {
        StringBuilder s = new StringBuilder("kind,target,round,slice,mb_per_sec,records_per_sec,avg_ms,p50_ms,p99_ms,"
                + "p999_ms,sent,failed,late,position,machine_cpu_ms_per_mib,cpus_busy_pct,brokers_cpu_ms_per_mib,"
                + "gateway_cpu_ms_per_mib,cpus,forwards_to\n");
        throughput.values().forEach(th -> th.appendCsv(s));
        latency.forEach((t, list) -> {
            for (int i = 0; i < list.size(); i++) {
                LatencyResult r = list.get(i);
                s.append(latencyRow("latency", t, i + 1, "", r));
                for (LatencySlice slice : r.slices()) {
                    s.append(latencyRow("latency-slice", t, i + 1, Integer.toString(slice.slice()),
                            LatencyResult.of(List.of(slice))));
                }
            }
        });
        return s.toString();
    }

    /** The latency phase always runs with every process sharing every CPU. */
    private static String latencyRow(String kind, String target, int round, String slice, LatencyResult r) {
        return String.format(Locale.ROOT, "%s,%s,%d,%s,,,%.3f,%.3f,%.3f,%.3f,%d,%d,%d,,,,,,%s,%n", kind, target, round,
                slice, r.meanMs(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.sent(), r.failed(), r.late(),
                CpuShape.SHARED.csv());
    }
}
