package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency slices of several run directories pooled per target. */
class PooledLatencyTest {

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
        String table = PooledLatency.report(List.of(run(tmp, "a", 500, 800), run(tmp, "b", 700, 900)));

        assertThat(table).contains("pooled over 2 runs")
                .contains("| direct | 2 | 2000 | 0.50 | 0.70 | 0.70 | +0.00 |\n")
                .contains("| portmap | 2 | 2000 | 0.80 | 0.90 | 0.90 | +0.20 |\n");
    }

    @Test
    void aDirectoryWithoutLatencyLogsIsNamed(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        assertThatThrownBy(() -> PooledLatency.report(List.of(run(tmp, "a", 500, 800), empty)))
                .isInstanceOf(BenchException.class).hasMessageContaining("not-a-run")
                .hasMessageContaining("no rN-latency.log");
    }
}
