package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency slices and throughput rounds of several run directories pooled per target. */
class PooledRunsTest {

    /** raw.csv's header from before run 33; since then it ends with ",cpus". */
    private static final String HEADER_BEFORE_CPUS = "kind,target,round,slice,mb_per_sec,records_per_sec,avg_ms,p50_ms,"
            + "p99_ms,p999_ms,sent,failed,late,position,machine_cpu_ms_per_mib,cpus_busy_pct,brokers_cpu_ms_per_mib,"
            + "gateway_cpu_ms_per_mib";

    private static Path runWithRawCsv(Path parent, String name, String header, String rows) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("raw.csv"), header + "\n" + rows);
        return dir;
    }

    private static String slice(String target, int slice, long micros) {
        Histogram h = LatencySlice.newHistogram();
        h.recordValueWithCount(micros, 1_000);
        return new LatencySlice(target, slice, 1_000, 0, 0, 0, h).line();
    }

    private static Path run(Path parent, String name, long directMicros, long portmapMicros) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        // As the probe's log has them: other lines around the slice lines.
        Files.writeString(dir.resolve("r1-latency.log"), "latency-warmup target=direct records=15000\n"
                + slice("direct", 1, directMicros) + "\n" + slice("portmap", 1, portmapMicros) + "\n");
        Files.writeString(dir.resolve("r1-consume-direct.log"), "not a latency log\n");
        return dir;
    }

    @Test
    void poolsEverySliceOfEveryRunPerTargetAndComparesTheP99WithDirects(@TempDir Path tmp) throws Exception {
        // Run A: direct 0.50 ms, portmap 0.80; run B: direct 0.70, portmap 0.90. Pooled, 2,000 records each:
        // direct's p99 is 0.70 (half its records), portmap's 0.90: +0.20, which neither run alone shows (+0.30, +0.20).
        // Means 0.60 and 0.85: ×1.42.
        String table = PooledRuns.latency(List.of(run(tmp, "a", 500, 800), run(tmp, "b", 700, 900)));

        assertThat(table).contains("pooled over 2 runs")
                .contains("| direct | 2 | 2000 | 0.50 | 0.70 | 0.70 | +0.00 | 0.60 | 1.00 |\n")
                .contains("| portmap | 2 | 2000 | 0.80 | 0.90 | 0.90 | +0.20 | 0.85 | 1.42 |\n");
    }

    @Test
    void aDirectoryWithoutLatencyLogsIsNamed(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        assertThatThrownBy(() -> PooledRuns.latency(List.of(run(tmp, "a", 500, 800), empty)))
                .isInstanceOf(BenchException.class).hasMessageContaining("not-a-run")
                .hasMessageContaining("no rN-latency.log");
    }

    @Test
    void poolsEveryRoundsThroughputPerCpuShapeAndTarget(@TempDir Path tmp) throws Exception {
        // A run from before the cpus column: every process shared every CPU.
        Path old = runWithRawCsv(tmp, "old", HEADER_BEFORE_CPUS, ""
                + "consume,direct,1,,400.00,400000.0,,,,,1000000,,,1,,,,\n"
                + "consume,portmap,1,,360.00,360000.0,,,,,1000000,,,2,,,,\n"
                + "latency,portmap,1,,,,1.000,1.000,2.000,2.000,3000,0,0,,,,,\n");
        Path now = runWithRawCsv(tmp, "now", HEADER_BEFORE_CPUS + ",cpus", ""
                + "produce,direct,1,,20.00,20000.0,1.0,1,2,3,200000,,,1,,,,,apart\n"
                + "produce,portmap,1,,19.00,19000.0,1.0,1,2,3,200000,,,2,,,,,apart\n"
                + "consume,direct,1,,300.00,300000.0,,,,,1000000,,,1,,,,,apart\n"
                + "consume,portmap,1,,330.00,330000.0,,,,,1000000,,,2,,,,,apart\n"
                + "consume,direct,1,,500.00,500000.0,,,,,1000000,,,1,,,,,shared\n"
                + "consume,portmap,1,,440.00,440000.0,,,,,1000000,,,2,,,,,shared\n");
        String table = PooledRuns.throughput(List.of(old, now));
        // Shared: direct 400 and 500 (median 450), portmap 360 and 440 (400): 0.89; paired, 0.90 and 0.88: 0.89.
        // Apart, one round: 0.95 and 1.10 either way.
        assertThat(table).contains("pooled over 2 runs")
                .contains("apart:\n\n| target | produce rounds | produce MB/s | produce ×direct medians | produce ×direct "
                        + "paired | produce ×same listener paired | consume rounds | consume MB/s | consume ×direct medians "
                        + "| consume ×direct paired | consume ×same listener paired |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                        + "| direct | 1 | 20.0 | 1.00 | 1.00 | 1.00 | 1 | 300.0 | 1.00 | 1.00 | 1.00 |\n"
                        + "| portmap | 1 | 19.0 | 0.95 | 0.95 | 0.95 | 1 | 330.0 | 1.10 | 1.10 | 1.10 |\n")
                .contains("shared:\n\n")
                .contains("| portmap | 0 | NaN | NaN | NaN | NaN | 2 | 400.0 | 0.89 | 0.89 | 0.89 |\n");
        assertThatThrownBy(() -> PooledRuns.throughput(List.of(old, Files.createDirectories(tmp.resolve("x")))))
                .isInstanceOf(BenchException.class).hasMessageContaining("no raw.csv");
    }

    /** One apart produce row of a raw.csv with the cpus column: target, round, MB/s, position in the round. */
    private static String apartProduce(String target, int round, double mbPerSec, int position) {
        return String.format(java.util.Locale.ROOT, "produce,%s,%d,,%.2f,,,,,,,,,%d,,,,,apart%n", target, round,
                mbPerSec, position);
    }

    @Test
    void thePairedRatioComparesEachRoundWithDirectInThatRoundAndTheMediansDoNot(@TempDir Path tmp) throws Exception {
        // A fast run (direct 20 and 24 MB/s) and a slow one (10 and 12), as the machine's state makes them. Portmap
        // runs at 0.80 and 0.95 of its round's direct in the fast run, 1.10 and 0.95 in the slow one.
        Path fast = runWithRawCsv(tmp, "fast", HEADER_BEFORE_CPUS + ",cpus", apartProduce("direct", 1, 20, 1)
                + apartProduce("portmap", 1, 16, 2) + apartProduce("direct", 2, 24, 2)
                + apartProduce("portmap", 2, 22.8, 1));
        Path slow = runWithRawCsv(tmp, "slow", HEADER_BEFORE_CPUS + ",cpus", apartProduce("direct", 1, 10, 1)
                + apartProduce("portmap", 1, 11, 2) + apartProduce("direct", 2, 12, 2)
                + apartProduce("portmap", 2, 11.4, 1));
        // Paired: 0.80, 0.95, 0.95, 1.10, median 0.95. Medians: direct (12 + 20) / 2 = 16, portmap (11.4 + 16) / 2
        // = 13.7: 0.86, below every round's ratio but one, because it sets the slow run's portmap against the fast
        // run's direct.
        assertThat(PooledRuns.throughput(List.of(fast, slow)))
                .contains("| direct | 4 | 16.0 | 1.00 | 1.00 | 1.00 | 0 | NaN | NaN | NaN | NaN |\n")
                .contains("| portmap | 4 | 13.7 | 0.86 | 0.95 | 0.95 | 0 | NaN | NaN | NaN | NaN |\n");
    }

    @Test
    void portmapsSameListenerRatioIsAgainstDirectExternalInTheRoundsThatMeasuredIt(@TempDir Path tmp) throws Exception {
        // A run with direct-external: portmap at 18 against direct-external's 18 (1.00) and direct's 20 (0.90).
        Path withIt = runWithRawCsv(tmp, "with", HEADER_BEFORE_CPUS + ",cpus", apartProduce("direct", 1, 20, 1)
                + apartProduce("direct-external", 1, 18, 2) + apartProduce("portmap", 1, 18, 3)
                + apartProduce("rewrite", 1, 19, 4));
        // An older run without it: portmap against direct, 0.80.
        Path without = runWithRawCsv(tmp, "without", HEADER_BEFORE_CPUS + ",cpus", apartProduce("direct", 1, 20, 1)
                + apartProduce("portmap", 1, 16, 2));
        // ×direct paired: 0.90 and 0.80 (0.85); ×same listener paired: 1.00 and 0.80 (0.90). Rewrite: 0.95 both ways;
        // direct-external is its own listener's (1.00) and 0.90 of direct.
        assertThat(PooledRuns.throughput(List.of(withIt, without)))
                .contains("| direct-external | 1 | 18.0 | 0.90 | 0.90 | 1.00 | 0 |")
                .contains("| portmap | 2 | 17.0 | 0.85 | 0.85 | 0.90 | 0 |")
                .contains("| rewrite | 1 | 19.0 | 0.95 | 0.95 | 0.95 | 0 |");
    }

    /** One apart produce row of a raw.csv with the forwards_to column. */
    private static String apartProduce(String target, int round, double mbPerSec, String forwardsTo) {
        return String.format(java.util.Locale.ROOT, "produce,%s,%d,,%.2f,,,,,,,,,1,,,,,apart,%s%n", target, round,
                mbPerSec, forwardsTo);
    }

    @Test
    void everyTargetTheRunMarksExternalIsComparedWithDirectExternalWhateverItsName(@TempDir Path tmp)
            throws Exception {
        // haproxy forwards by port (external), a rewrite gateway named portmap-like does not: the column decides.
        Path run = runWithRawCsv(tmp, "marked", HEADER_BEFORE_CPUS + ",cpus,forwards_to",
                apartProduce("direct", 1, 20, "internal") + apartProduce("direct-external", 1, 16, "external")
                        + apartProduce("haproxy", 1, 15.2, "external") + apartProduce("portmap", 1, 18, "internal"));
        assertThat(PooledRuns.throughput(List.of(run)))
                .contains("| haproxy | 1 | 15.2 | 0.76 | 0.76 | 0.95 | 0 |")
                .contains("| portmap | 1 | 18.0 | 0.90 | 0.90 | 0.90 | 0 |");
    }

    @Test
    void theMediansIntervalIsTheOrderStatisticsThatCoverItWithNinetyFivePercent() {
        List<Double> forty = new java.util.ArrayList<>();
        for (int v = 40; v >= 1; v--) {
            forty.add((double) v);
        }
        // n = 40: P(at most 13 of 40 below the median) = 0.019, at most 14: 0.040 > 0.025, so the 14th from each end.
        assertThat(PooledRuns.medianInterval(forty)).containsExactly(14.0, 27.0);
        // n = 6: only all six (1/64 = 0.016 for none below); n = 5 (1/32 = 0.031): no interval.
        assertThat(PooledRuns.medianInterval(List.of(3.0, 1.0, 2.0, 6.0, 5.0, 4.0))).containsExactly(1.0, 6.0);
        assertThat(PooledRuns.medianInterval(List.of(1.0, 2.0, 3.0, 4.0, 5.0))).isNull();
    }

    @Test
    void pairedRatiosOfSixOrMoreRoundsCarryTheirInterval(@TempDir Path tmp) throws Exception {
        StringBuilder rows = new StringBuilder();
        double[] portmap = {0.90, 0.95, 1.00, 1.05, 0.85, 1.10};
        for (int r = 0; r < portmap.length; r++) {
            rows.append(apartProduce("direct", r + 1, 20, 1))
                    .append(apartProduce("portmap", r + 1, 20 * portmap[r], 2));
        }
        Path run = runWithRawCsv(tmp, "six", HEADER_BEFORE_CPUS + ",cpus", rows.toString());
        // Median 0.975 (printed 0.97 or 0.98 by rounding of the half), interval the smallest and largest.
        assertThat(PooledRuns.throughput(List.of(run))).containsPattern("\\| portmap \\| 6 \\| 19\\.5 \\| 0\\.9[78] "
                + "\\| 0\\.9[78] \\(0\\.85-1\\.10\\) \\| 0\\.9[78] \\(0\\.85-1\\.10\\) \\| 0 \\|");
    }
}
