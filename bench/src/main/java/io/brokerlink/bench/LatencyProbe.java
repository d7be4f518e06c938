package io.brokerlink.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The latency phase of one round, in one child JVM: a producer per target (direct first), each warmed up, then
 * time-interleaved slices — slice 1 of every target, slice 2 of every target, …, each rotation starting one target
 * later — so that every target meets the same background load of this shared machine, where running one target after
 * another let the load decide the p99.
 *
 * <p>One producer sends at a time, on a fixed schedule of {@code --rate} records/s (the records due within one
 * {@code --tick-us} tick go out together, as ProducerPerformance's throttle sends them), acks=all, linger.ms=0; a
 * record's latency is from its send() call to its ack callback (as {@code ProducerPerformance} measures it, but in
 * microseconds). A slice ends with flush(), so no slice's requests overlap the next one. Prints a {@link LatencySlice}
 * line per slice (what the harness parses) and a summary per target; failed sends and records sent behind schedule
 * are counted in both, never dropped.
 *
 * <pre>
 * LatencyProbe --topic bench --record-size 1024 --rate 5000 --records 30000 --slices 3 --warmup-records 5000
 *              [--tick-us 2000] --client-id bench-r1-latency --target direct=HOST:PORT,... --target portmap=...
 * </pre>
 */
public final class LatencyProbe {

    /**
     * ProducerPerformance's throttle sleeps only once it is 2 ms ahead, so at 5,000 records/s it sends 10 records
     * back to back every 2 ms. Evenly spaced records (one every 200 µs) measured a 4-8 times higher p50 direct on
     * this machine (BENCHMARKS.md, Method), and the target and PEERS.md's figures were measured with the tool.
     */
    static final long DEFAULT_TICK_MICROS = 2_000;

    /** A target to measure: its name and the bootstrap servers its producer uses. */
    record Target(String name, String bootstrap) {

        Target {
            if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
                throw new BenchException("--target: \"" + name + "\" is not a target name (lower-case letters, "
                        + "digits and dashes)");
            }
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new BenchException("--target " + name + ": needs bootstrap servers, e.g. " + name
                        + "=127.0.0.1:9092");
            }
        }

        static Target parse(String value) {
            int eq = value.indexOf('=');
            if (eq < 0) {
                throw new BenchException("--target: \"" + value + "\" is not NAME=BOOTSTRAP, e.g. direct=127.0.0.1:9092");
            }
            return new Target(value.substring(0, eq), value.substring(eq + 1));
        }
    }

    /**
     * What one probe run does.
     *
     * @param records        records per target, split across its {@code slices} (the first slices take one more
     *                       when they do not divide evenly)
     * @param warmupRecords  records per target sent at the rate before the first slice and not measured
     * @param tickMicros     send granularity: the records due within one tick go out together at its start, as
     *                       {@code ProducerPerformance}'s throttle sends them (it sleeps only once 2 ms ahead); 0 sends
     *                       each record at its own time, evenly spaced
     */
    record Plan(String topic, int recordSize, int rate, long records, int slices, long warmupRecords,
                long tickMicros, String clientId, List<Target> targets) {

        Plan {
            targets = List.copyOf(targets);
            if (topic == null || topic.isBlank()) {
                throw new BenchException("--topic: needs a topic name");
            }
            if (recordSize < 1 || rate < 1) {
                throw new BenchException("--record-size " + recordSize + ", --rate " + rate + ": both must be 1 or more");
            }
            if (slices < 1 || records < slices) {
                throw new BenchException("--records " + records + ", --slices " + slices + ": needs 1 or more slices "
                        + "and at least one record per slice");
            }
            if (tickMicros < 0 || tickMicros > 1_000_000) {
                throw new BenchException("--tick-us: " + tickMicros + " is not a tick; use 0 (evenly spaced) to "
                        + "1000000 µs (2000: ProducerPerformance's 2 ms)");
            }
            if (warmupRecords < 0) {
                throw new BenchException("--warmup-records: " + warmupRecords + " is negative; use 0 or more");
            }
            if (targets.isEmpty()) {
                throw new BenchException("--target: none given; use --target NAME=BOOTSTRAP, once per target");
            }
            if (targets.stream().map(Target::name).distinct().count() != targets.size()) {
                throw new BenchException("--target: a name is given twice in " + targets.stream().map(Target::name)
                        .toList());
            }
        }

        /**
         * When record {@code i} of a slice is due, in ns after the slice's start: its own time at the rate, rounded
         * down to the tick.
         */
        long dueNanos(long i) {
            long own = i * 1_000_000_000L / rate;
            long tick = tickMicros * 1_000;
            return tick == 0 ? own : own / tick * tick;
        }

        /**
         * The order of the targets in rotation {@code k} (1-based): the first starts with direct, each next one a
         * target later, so that over n rotations every target takes every position once. A fixed order gave one
         * target the slot after the warm-up in every round, and with it the settling probe JVM and cluster.
         */
        List<Integer> rotation(int k) {
            int n = targets.size();
            return java.util.stream.IntStream.range(0, n).map(i -> (i + k - 1) % n).boxed().toList();
        }

        /** Records of slice {@code k} (1-based): the records split evenly, the remainder to the first slices. */
        long sliceRecords(int k) {
            return records / slices + (k <= records % slices ? 1 : 0);
        }

        static Plan parse(String[] args) {
            String topic = null;
            int recordSize = 0;
            int rate = 0;
            long records = 0;
            int slices = 0;
            long warmup = -1;
            long tick = DEFAULT_TICK_MICROS;
            String clientId = "bench-latency";
            List<Target> targets = new ArrayList<>();
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            while (!rest.isEmpty()) {
                String flag = rest.remove(0);
                if (rest.isEmpty()) {
                    throw new BenchException(flag + ": needs a value");
                }
                String value = rest.remove(0);
                switch (flag) {
                    case "--topic" -> topic = value;
                    case "--record-size" -> recordSize = (int) number(flag, value);
                    case "--rate" -> rate = (int) number(flag, value);
                    case "--records" -> records = number(flag, value);
                    case "--slices" -> slices = (int) number(flag, value);
                    case "--warmup-records" -> warmup = number(flag, value);
                    case "--tick-us" -> tick = number(flag, value);
                    case "--client-id" -> clientId = value;
                    case "--target" -> targets.add(Target.parse(value));
                    default -> throw new BenchException("\"" + flag + "\" is not an option; use --topic, "
                            + "--record-size, --rate, --records, --slices, --warmup-records, --tick-us, --client-id, "
                            + "--target");
                }
            }
            return new Plan(topic, recordSize, rate, records, slices, warmup, tick, clientId, targets);
        }

        private static long number(String flag, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new BenchException(flag + ": \"" + value + "\" is not a whole number");
            }
        }
    }

    private final Plan plan;
    private final byte[] payload;

    private LatencyProbe(Plan plan) {
        this.plan = plan;
        // One payload of random capital letters for every record, as ProducerPerformance sends without a payload file.
        this.payload = new byte[plan.recordSize()];
        Random random = new Random(0);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (random.nextInt(26) + 65);
        }
    }

    public static void main(String[] args) {
        Plan plan;
        try {
            plan = Plan.parse(args);
        } catch (BenchException e) {
            System.err.println("latency probe: " + e.getMessage());
            System.exit(2);
            return;
        }
        new LatencyProbe(plan).run();
        System.exit(0);
    }

    private void run() {
        System.out.printf(Locale.ROOT, "latency-probe rate=%d records=%d slices=%d slice-seconds=%.2f tick-us=%d "
                        + "warmup-records=%d targets=%s%n", plan.rate(), plan.records(), plan.slices(),
                plan.sliceRecords(1) / (double) plan.rate(), plan.tickMicros(), plan.warmupRecords(),
                String.join(",", plan.targets().stream().map(Target::name).toList()));
        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        try {
            for (Target t : plan.targets()) {
                producers.add(new KafkaProducer<>(producerConfig(t)));
            }
            for (int i = 0; i < producers.size(); i++) {
                String name = plan.targets().get(i).name();
                // Metadata and the first connection before the clock starts; then the warm-up connects to every
                // broker the partitions lead and lets the JIT compile the send path.
                producers.get(i).partitionsFor(plan.topic());
                LatencySlice warm = slice(name, 1, producers.get(i), plan.warmupRecords());
                System.out.printf(Locale.ROOT, "latency-warmup target=%s sent=%d failed=%d late=%d (not measured)%n",
                        name, warm.sent(), warm.failed(), warm.late());
            }
            List<List<LatencySlice>> measured = new ArrayList<>();
            plan.targets().forEach(t -> measured.add(new ArrayList<>()));
            for (int k = 1; k <= plan.slices(); k++) {
                for (int i : plan.rotation(k)) {
                    Instant start = Instant.now();
                    LatencySlice s = slice(plan.targets().get(i).name(), k, producers.get(i), plan.sliceRecords(k));
                    measured.get(i).add(s);
                    // When, in wall-clock time: to line a slow slice up with the JVMs' pause logs of the run.
                    System.out.printf(Locale.ROOT, "latency-slice-window target=%s slice=%d start=%s end=%s%n",
                            s.target(), k, start, Instant.now());
                    System.out.println(s.line());
                    System.out.flush();
                }
            }
            for (List<LatencySlice> slices : measured) {
                LatencyResult r = LatencyResult.of(slices);
                System.out.printf(Locale.ROOT, "latency-target target=%s sent=%d failed=%d late=%d max-lag-ms=%.2f "
                                + "p50-ms=%.2f p99-ms=%.2f p99.9-ms=%.2f max-ms=%.2f mean-ms=%.3f%n", r.target(),
                        r.sent(), r.failed(), r.late(), r.maxLagMicros() / 1000.0, r.p50Ms(), r.p99Ms(), r.p999Ms(),
                        r.latencies().getMaxValue() / 1000.0, r.meanMs());
            }
            for (int i = 0; i < producers.size(); i++) {
                System.out.println(requestShape(plan.targets().get(i).name(), producers.get(i)));
            }
        } finally {
            producers.forEach(p -> p.close(Duration.ofSeconds(10)));
        }
    }

    /**
     * How the producer packed the records into requests over the whole run (warm-up included): latency at a fixed
     * rate depends on it, since the records waiting behind in-flight requests go out together.
     */
    private static String requestShape(String target, KafkaProducer<byte[], byte[]> producer) {
        StringBuilder line = new StringBuilder("latency-producer target=" + target);
        for (String metric : List.of("records-per-request-avg", "batch-size-avg", "request-latency-avg")) {
            producer.metrics().forEach((name, value) -> {
                if (name.group().equals("producer-metrics") && name.name().equals(metric)
                        && value.metricValue() instanceof Double d) {
                    line.append(String.format(Locale.ROOT, " %s=%.2f", metric, d));
                }
            });
        }
        return line.toString();
    }

    private Properties producerConfig(Target t) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, t.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, plan.clientId() + "-" + t.name());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * Sends {@code count} records at the plan's rate and waits for every acknowledgement. Record i is due at
     * start + i/rate rounded down to the tick; when the loop is behind (a send() that blocked, a GC pause, no CPU),
     * it sends at once to catch up and counts the record late if it is more than {@link LatencySlice#LATE_MICROS}
     * behind.
     */
    private LatencySlice slice(String target, int k, KafkaProducer<byte[], byte[]> producer, long count) {
        // Acknowledgements are recorded on the producer's I/O thread; a send() that fails at once calls back here.
        Histogram latencies = new SynchronizedHistogram(LatencySlice.SIGNIFICANT_DIGITS);
        latencies.setAutoResize(true);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        long late = 0;
        long maxLag = 0;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + plan.dueNanos(i);
            long now = System.nanoTime();
            while (now < due) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            long lag = (now - due) / 1_000;
            maxLag = Math.max(maxLag, lag);
            if (lag > LatencySlice.LATE_MICROS) {
                late++;
            }
            long sent = System.nanoTime();
            try {
                producer.send(new ProducerRecord<>(plan.topic(), payload), (metadata, error) -> {
                    if (error == null) {
                        latencies.recordValue((System.nanoTime() - sent) / 1_000);
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                });
            } catch (RuntimeException e) {
                // Kafka API errors (e.g. no metadata within max.block.ms) call back; others are thrown (a closed
                // producer, an interrupt), and count as failed sends all the same.
                failed.incrementAndGet();
                firstError.compareAndSet(null, e);
            }
        }
        producer.flush();
        if (firstError.get() != null) {
            System.out.printf("latency-error target=%s slice=%d failed=%d first=%s%n", target, k, failed.get(),
                    firstError.get().toString().replace('\n', ' '));
        }
        Histogram copy = LatencySlice.newHistogram();
        copy.add(latencies);
        return new LatencySlice(target, k, count, failed.get(), late, maxLag, copy);
    }
}
