package io.brokerlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits, before each measured phase, until the machine has finished the work the previous phase left behind. After
 * the produce phase (about 800 MB appended three times over) the kernel is still writing dirty pages out and the
 * brokers still replicating and deleting segments; with a fixed order the first consumer of every round met that
 * work (run 13: the target consuming first in a round got the lowest throughput in 5 of 8 rounds), and with the
 * rotating order it added noise to whichever target ran first. So: {@code sync}, then wait until all CPUs together
 * are less than {@link #BUSY_LIMIT} busy over {@link #SAMPLE}, for at most {@link #MAX_WAIT}.
 */
final class Quiet {

    /** Busy share of all CPUs (user, nice, system, irq, softirq, steal) below which the machine counts as quiet. */
    static final double BUSY_LIMIT = 0.15;
    static final Duration SAMPLE = Duration.ofMillis(500);
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** What a wait found: how long it took, the last sample's busy share, whether it got below the limit. */
    record Settled(Duration waited, double busy, boolean quiet) {
        String describe() {
            return String.format(java.util.Locale.ROOT, "%s after %.1f s (CPUs %.0f %% busy over the last %d ms)",
                    quiet ? "quiet" : "still busy, measuring anyway", waited.toMillis() / 1000.0, busy * 100,
                    SAMPLE.toMillis());
        }
    }

    /** CPU time counters of the {@code cpu} line of /proc/stat: busy and total jiffies. */
    record CpuTimes(long busy, long total) {
        /** Busy share between {@code earlier} and this reading; 0 when no time passed. */
        double busySince(CpuTimes earlier) {
            long total = this.total - earlier.total;
            return total <= 0 ? 0 : (double) (busy - earlier.busy) / total;
        }
    }

    private Quiet() {
    }

    /** {@code sync}, then samples until quiet or {@link #MAX_WAIT}; without /proc/stat it only syncs. */
    static Settled await() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
        if (!sync.waitFor(MAX_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            sync.destroyForcibly();
        }
        if (!Files.isReadable(PROC_STAT)) {
            return new Settled(Duration.ofNanos(System.nanoTime() - start), 0, true);
        }
        double busy;
        do {
            CpuTimes before = read();
            Thread.sleep(SAMPLE.toMillis());
            busy = read().busySince(before);
        } while (busy >= BUSY_LIMIT && System.nanoTime() - start < MAX_WAIT.toNanos());
        return new Settled(Duration.ofNanos(System.nanoTime() - start), busy, busy < BUSY_LIMIT);
    }

    /** The machine's CPU counters now; null where there is no /proc/stat. */
    static CpuTimes now() throws IOException {
        return Files.isReadable(PROC_STAT) ? read() : null;
    }

    /** CPU milliseconds the whole machine spent busy between two readings (jiffies at USER_HZ 100). */
    static long busyMillis(CpuTimes before, CpuTimes after) {
        return (after.busy() - before.busy()) * 10;
    }

    private static CpuTimes read() throws IOException {
        for (String line : Files.readAllLines(PROC_STAT)) {
            if (line.startsWith("cpu ")) {
                return parse(line);
            }
        }
        throw new BenchException(PROC_STAT + " has no \"cpu \" line");
    }

    /**
     * Parses the aggregate line, {@code cpu user nice system idle iowait irq softirq steal [guest guest_nice]}: busy
     * is everything but idle and iowait (guest time is already inside user).
     */
    static CpuTimes parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new BenchException("not the cpu line of /proc/stat: \"" + line + "\"");
        }
        long[] v = new long[8];
        for (int i = 0; i < 8; i++) {
            v[i] = Long.parseLong(f[i + 1]);
        }
        long idle = v[3] + v[4];
        long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
        return new CpuTimes(busy, busy + idle);
    }
}
