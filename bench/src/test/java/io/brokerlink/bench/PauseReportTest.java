package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseReportTest {

    @TempDir
    Path dir;

    @Test
    void brokerPausesAreTheStoppingCollectionsNotTheConcurrentCycles() throws Exception {
        Path log = Files.writeString(dir.resolve("brokers-gc.log"), """
                # garbage collections of the harness JVM
                2026-11-21T14:30:43.129Z gc="G1 Young Generation" action="end of minor GC" cause="G1 Evacuation Pause" duration-ms=17
                2026-11-21T14:30:43.160Z gc="G1 Concurrent GC" action="end of concurrent GC pause" cause="No GC" duration-ms=40
                2026-11-21T14:30:44.000Z gc="ZGC Minor Cycles" action="end of GC cycle" cause="Allocation Rate" duration-ms=120
                2026-11-21T14:30:44.010Z gc="ZGC Minor Pauses" action="end of GC pause" cause="Allocation Rate" duration-ms=0
                """);
        List<PauseReport.Pause> pauses = PauseReport.brokerPauses(log);
        assertThat(pauses).extracting(PauseReport.Pause::length)
                .containsExactly(Duration.ofMillis(17), Duration.ofMillis(0));
        assertThat(pauses.get(0).start()).isEqualTo(Instant.parse("2026-11-21T14:30:43.129Z"));
    }

    @Test
    void aSafepointStartsItsTotalBeforeTheLineThatLogsIt() throws Exception {
        Path log = Files.writeString(dir.resolve("gateway-portmap-jvm.log"), """
                [2026-11-21T14:30:46.131+0000][8ms][gc] Using G1
                [2026-11-21T14:30:46.728+0000][605ms][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 20M->6M(380M) 4.345ms
                [2026-11-21T14:30:46.728+0000][605ms][safepoint] Safepoint "G1CollectForAllocation", Time since last: 537410601 ns, Reaching safepoint: 3805 ns, At safepoint: 4405774 ns, Leaving safepoint: 32779 ns, Total: 4442358 ns, Threads: 0 runnable, 10 total
                """);
        List<PauseReport.Pause> pauses = PauseReport.safepoints(log, "gateway portmap");
        assertThat(pauses).hasSize(1);
        assertThat(pauses.get(0).length()).isEqualTo(Duration.ofNanos(4_442_358));
        assertThat(pauses.get(0).end()).isEqualTo(Instant.parse("2026-11-21T14:30:46.728Z"));
    }

    @Test
    void eachSliceIsCountedWithThePausesInsideItsWindow() throws Exception {
        Files.writeString(dir.resolve("brokers-gc.log"), """
                2026-11-21T10:00:01.000Z gc="G1 Young Generation" action="end of minor GC" cause="x" duration-ms=25
                2026-11-21T10:00:05.500Z gc="G1 Young Generation" action="end of minor GC" cause="x" duration-ms=12
                """);
        Files.writeString(dir.resolve("gateway-portmap-jvm.log"), """
                [2026-11-21T10:00:03.010+0000][1ms][safepoint] Safepoint "Cleanup", Time since last: 1 ns, Reaching safepoint: 1 ns, At safepoint: 1 ns, Leaving safepoint: 1 ns, Total: 3000000 ns, Threads: 0 runnable, 10 total
                """);
        Files.writeString(dir.resolve("r1-latency-jvm.log"), "");
        Files.writeString(dir.resolve("r1-latency.log"), """
                latency-slice-window target=direct slice=1 start=2026-11-21T10:00:00Z end=2026-11-21T10:00:02Z
                latency-slice target=direct slice=1 sent=10 failed=0 late=0 max-lag-us=1 p50-us=500 p99-us=26000 p99.9-us=1 max-us=1 histogram=x
                latency-slice-window target=portmap slice=1 start=2026-11-21T10:00:02Z end=2026-11-21T10:00:04Z
                latency-slice target=portmap slice=1 sent=10 failed=0 late=0 max-lag-us=1 p50-us=500 p99-us=4000 p99.9-us=1 max-us=1 histogram=x
                latency-slice-window target=portmap slice=2 start=2026-11-21T10:00:04Z end=2026-11-21T10:00:06Z
                latency-slice target=portmap slice=2 sent=10 failed=0 late=0 max-lag-us=1 p50-us=500 p99-us=13000 p99.9-us=1 max-us=1 histogram=x
                latency-slice-window target=direct slice=2 start=2026-11-21T10:00:06Z end=2026-11-21T10:00:08Z
                latency-slice target=direct slice=2 sent=10 failed=0 late=0 max-lag-us=1 p50-us=500 p99-us=2000 p99.9-us=1 max-us=1 histogram=x
                """);
        String report = PauseReport.report(dir, List.of("direct", "portmap"));
        // direct: slice 1 had the 25 ms brokers' pause (p99 26), slice 2 nothing (p99 2).
        assertThat(report).contains("| direct | 2 | 14.00 | 1 (26.00) | - | 0 | 1 (2.00) | 25.0 / 0.0 / 0.0 |");
        // portmap: slice 1 its own 3 ms safepoint (p99 4), slice 2 the 12 ms brokers' pause (p99 13).
        assertThat(report).contains("| portmap | 2 | 8.50 | 1 (13.00) | 1 (4.00) | 0 | 0 | 12.0 / 3.0 / 0.0 |");
    }

    @Test
    void aRunWithoutPauseLogsSaysSo() throws Exception {
        assertThat(PauseReport.report(dir, List.of("direct"))).contains("has no slice windows or no brokers-gc.log");
    }

    @Test
    void aWindowThatDoesNotMatchItsSliceNamesTheLine() throws Exception {
        Path log = Files.writeString(dir.resolve("r2-latency.log"), """
                latency-slice-window target=direct slice=1 start=2026-11-21T10:00:00Z end=2026-11-21T10:00:02Z
                latency-slice target=portmap slice=1 sent=10 failed=0 late=0 max-lag-us=1 p50-us=500 p99-us=4000 histogram=x
                """);
        assertThatThrownBy(() -> PauseReport.windows(log, "r2")).hasMessageContaining("r2-latency.log:2")
                .hasMessageContaining("follows the window of direct/1");
    }
}
