package io.brokerlink.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What one benchmark run does. Defaults are sized for this 2-core machine: one throughput measurement takes about
 * 5-10 s direct.
 *
 * @param rounds            interleaved rounds (every target measured once per round); see {@link #roundsFor}
 * @param roundsGiven       --rounds was given: exactly that many rounds
 * @param produceRecords    records per throughput produce run
 * @param produceWarmupRecords of those, the first ones not counted (ProducerPerformance {@code --warmup-records}: the
 *                          result is its steady-state line); 0: the whole run counts, the producer JVM's start included
 * @param consumeRecords    records per consume run (read from the start of the topic, which is filled first)
 * @param latencyRate       records/s of the latency probe (linger 0), one target at a time
 * @param latencyRecords    records per target per round of the latency probe, split across its slices
 * @param latencySlices     slices per target per round: the probe rotates over the targets this many times, so a
 *                          slice lasts latencyRecords / latencySlices / latencyRate seconds
 * @param latencyTickMicros the probe sends the records due within one tick together (2000: as ProducerPerformance's
 *                          throttle does); 0 spaces them evenly
 * @param idleConnections   idle client connections opened for the heap measurement (0: skip it)
 * @param targetsFile       the gateway targets ({@code NAME = yaml FILE | NAME = cli ARGS...})
 * @param only              when present, only these gateway targets of the file (direct is always measured)
 * @param outDir            logs, generated configs and the results table
 * @param firstAddress      loopback address of broker 1; brokers take the next two, gateways .10 upwards
 * @param gatewayHeap       -Xmx of each gateway JVM
 * @param profile           record a JFR profile of each gateway JVM (gateway-NAME.jfr in outDir)
 * @param cpuSplit          when present, throughput is measured twice a round: with the gateways on CPUs of their own
 *                          ({@link CpuSplit}; judged) and with every process sharing every CPU (reported beside)
 * @param shapes            the {@link CpuShape}s throughput is measured in each round, in that order
 */
record BenchOptions(int rounds, boolean roundsGiven, long produceRecords, long produceWarmupRecords, long consumeRecords,
                    int latencyRate, long latencyRecords, int latencySlices, long latencyTickMicros, int idleConnections,
                    Path targetsFile, Optional<List<String>> only, Path outDir, String firstAddress, String gatewayHeap,
                    boolean profile, Optional<CpuSplit> cpuSplit, List<CpuShape> shapes) {

    static final String USAGE = """
            usage: bash bench/run.sh [--rounds N] [--produce-records N] [--produce-warmup-records N]
                                     [--consume-records N] [--latency-rate N] [--latency-records N]
                                     [--latency-slices N] [--latency-tick-us N] [--idle-connections N]
                                     [--targets NAME,...] [--targets-file FILE] [--out DIR] [--first-address IP]
                                     [--gateway-heap SIZE] [--gateway-cpus LIST] [--shapes apart,shared] [--profile]
              --rounds N            interleaved rounds (default: 4, or one per measured target when there are
                                    more, so that each runs first in a round once)
              --produce-records N   records per measured produce run (default 200000)
              --produce-warmup-records N
                                    of those, the first N are not counted: the run's figure is ProducerPerformance's
                                    steady-state line (default 0: the whole run, the producer JVM's start included)
              --latency-records N   records per target per round of the latency probe (default 300000), sent at
                                    --latency-rate records/s (default 5000) in --latency-slices interleaved slices
                                    per target (default: one per 2 s at the rate, 30 with the default records and
                                    rate; direct then each target, repeated)
              --latency-tick-us N   the probe sends the records due within N µs together (default 2000, as
                                    ProducerPerformance's throttle); 0 spaces them evenly
              --gateway-cpus LIST   for the throughput runs that judge the targets, the gateway JVMs on these CPUs
                                    (a taskset list, e.g. 1) and the brokers and clients on the others, direct
                                    included: the gateway on a machine of its own (default: the last CPU, on a
                                    machine with 2 or more). The same runs are repeated with every process sharing
                                    every CPU and reported beside; the latency probe always shares every CPU.
                                    none: share every CPU throughout and judge that
              --shapes LIST         which throughput shapes to measure: apart, shared or apart,shared (the
                                    default; apart needs a CPU split, so only shared with --gateway-cpus none)""";

    BenchOptions {
        if (rounds < 1) {
            throw new BenchException("--rounds: " + rounds + " is not a round count; use 1 or more (3 or more for medians)");
        }
        if (produceRecords < 1 || consumeRecords < 1 || latencyRecords < 1) {
            throw new BenchException("--produce-records, --consume-records and --latency-records must be 1 or more");
        }
        if (produceWarmupRecords < 0 || produceWarmupRecords >= produceRecords) {
            throw new BenchException("--produce-warmup-records: " + produceWarmupRecords + " leaves no record to count "
                    + "of --produce-records " + produceRecords + "; use 0 (count the whole run) to "
                    + (produceRecords - 1));
        }
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty()) {
            throw new BenchException("--shapes: name at least one of apart, shared");
        }
        if (shapes.contains(CpuShape.GATEWAY_APART) && cpuSplit.isEmpty()) {
            throw new BenchException("--shapes apart needs the gateways on CPUs of their own, but --gateway-cpus is none"
                    + " (or this machine has one CPU); use --shapes shared");
        }
        if (latencySlices < 1 || latencySlices > latencyRecords) {
            throw new BenchException("--latency-slices: " + latencySlices + " is not a slice count for "
                    + latencyRecords + " latency records; use 1 to " + latencyRecords + " (3: slices of 2 s at the "
                    + "default rate and records)");
        }
        if (latencyTickMicros < 0 || latencyTickMicros > 1_000_000) {
            throw new BenchException("--latency-tick-us: " + latencyTickMicros + " is not a tick; use 0 (evenly "
                    + "spaced) to 1000000 µs (2000: ProducerPerformance's 2 ms)");
        }
        if (latencyRate < 1) {
            throw new BenchException("--latency-rate: " + latencyRate + " is not a rate; use records/s, 1 or more");
        }
        if (idleConnections < 0) {
            throw new BenchException("--idle-connections: " + idleConnections + " is negative; use 0 to skip the heap run");
        }
    }

    /**
     * Warm-up records per target before the probe's first slice: 3 s at the rate (at most half the measured records).
     * With 1 s the first slice of the first target (direct) came out slowest in 5 of 5 runs of three identical direct
     * targets, as the fresh probe JVM and the cluster settled; with 3 s in 2 of 5 (BENCHMARKS.md, Method).
     */
    long latencyWarmupRecords() {
        return Math.min(3L * latencyRate, latencyRecords / 2);
    }

    /** A latency slice's length when --latency-slices is not given. */
    static final int SLICE_SECONDS = 2;

    /** Rounds when --rounds is not given, or more: one per measured target ({@link #roundsFor}). */
    static final int DEFAULT_ROUNDS = 4;

    /**
     * The rounds of a run that measures {@code measured} targets (direct ones included): --rounds when given; else
     * {@value #DEFAULT_ROUNDS}, or one per target when there are more, so that the rotating order puts every target in
     * every position once.
     */
    int roundsFor(int measured) {
        return roundsGiven ? rounds : Math.max(rounds, measured);
    }

    static BenchOptions parse(String[] args, Path repoRoot) {
        int rounds = DEFAULT_ROUNDS;
        boolean roundsGiven = false;
        long produce = 200_000;
        long produceWarmup = 0;
        Optional<List<CpuShape>> shapes = Optional.empty();
        long consume = 1_500_000;
        int rate = 5_000;
        // 1.2 million records per target over 4 rounds: with 120,000 (30,000 a round) two runs of the same code gave
        // pooled p99 differences from -2 to +3.6 ms; with 1.2 million all three gateways were within 0.3 ms of
        // direct in two runs (BENCHMARKS.md, runs 29-30). The probe then takes about 4.5 of a round's 5.5 minutes.
        long latencyRecords = 300_000;
        int latencySlices = 0; // not given: one per SLICE_SECONDS at the rate (30 with the defaults)
        long latencyTick = LatencyProbe.DEFAULT_TICK_MICROS;
        int idle = 1_000;
        Path targets = repoRoot.resolve("bench/targets.conf");
        Optional<List<String>> only = Optional.empty();
        Path out = repoRoot.resolve("bench/target/runs/" + LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        String first = "127.0.50.1";
        String heap = "512m";
        boolean profile = false;
        Optional<CpuSplit> cpuSplit = CpuSplit.defaultFor(Runtime.getRuntime().availableProcessors());
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (flag.equals("--profile")) {
                profile = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (rest.isEmpty()) {
                throw new BenchException(flag + ": needs a value\n" + USAGE);
            }
            String value = rest.remove(0);
            switch (flag) {
                case "--rounds" -> {
                    rounds = (int) number(flag, value);
                    roundsGiven = true;
                }
                case "--produce-records" -> produce = number(flag, value);
                case "--produce-warmup-records" -> produceWarmup = number(flag, value);
                case "--shapes" -> shapes = Optional.of(shapes(value));
                case "--consume-records" -> consume = number(flag, value);
                case "--latency-rate" -> rate = (int) number(flag, value);
                case "--latency-records" -> latencyRecords = number(flag, value);
                case "--latency-slices" -> latencySlices = (int) number(flag, value);
                case "--latency-tick-us" -> latencyTick = number(flag, value);
                case "--idle-connections" -> idle = (int) number(flag, value);
                case "--targets" -> only = Optional.of(Arrays.stream(value.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty() && !s.equals("direct")).toList());
                case "--targets-file" -> targets = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--first-address" -> first = value;
                case "--gateway-heap" -> heap = value;
                case "--gateway-cpus" -> cpuSplit = value.equals("none") ? Optional.empty()
                        : Optional.of(CpuSplit.parse(value, Runtime.getRuntime().availableProcessors()));
                default -> throw new BenchException("\"" + flag + "\" is not an option\n" + USAGE);
            }
        }
        if (latencySlices == 0) {
            latencySlices = (int) Math.max(1, Math.min(latencyRecords, latencyRecords / ((long) SLICE_SECONDS * rate)));
        }
        List<CpuShape> measured = shapes.orElse(cpuSplit.isPresent()
                ? List.of(CpuShape.GATEWAY_APART, CpuShape.SHARED) : List.of(CpuShape.SHARED));
        return new BenchOptions(rounds, roundsGiven, produce, produceWarmup, consume, rate, latencyRecords, latencySlices,
                latencyTick, idle, targets, only, out, first, heap, profile, cpuSplit, measured);
    }

    /** {@code apart}, {@code shared} or both, comma separated; measured apart first, as by default. */
    private static List<CpuShape> shapes(String value) {
        List<CpuShape> named = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            CpuShape shape = Arrays.stream(CpuShape.values()).filter(s -> s.csv().equals(name)).findFirst()
                    .orElseThrow(() -> new BenchException("--shapes: \"" + name + "\" is not a shape; use apart, "
                            + "shared or apart,shared"));
            if (!named.contains(shape)) {
                named.add(shape);
            }
        }
        named.sort(null); // enum order: apart, then shared
        return named;
    }

    private static long number(String flag, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new BenchException(flag + ": \"" + value + "\" is not a whole number");
        }
    }
}
