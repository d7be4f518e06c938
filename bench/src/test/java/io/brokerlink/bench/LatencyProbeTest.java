package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The probe's percentile math, its output line and how the harness reads it; the measuring itself is a real run. */
class LatencyProbeTest {

    private static Histogram micros(long... values) {
        Histogram h = LatencySlice.newHistogram();
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    private static Histogram repeated(long micros, int count, Histogram into) {
        into.recordValueWithCount(micros, count);
        return into;
    }

    private static LatencySlice slice(String target, int k, Histogram h) {
        return new LatencySlice(target, k, h.getTotalCount(), 0, 0, 0, h);
    }

    @Test
    void percentilesOfOneToOneThousandMicrosecondsAreExact() {
        long[] values = new long[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        LatencyResult r = LatencyResult.of(List.of(slice("direct", 1, micros(values))));
        assertThat(r.p50Ms()).isEqualTo(0.500);
        assertThat(r.p99Ms()).isEqualTo(0.990);
        assertThat(r.p999Ms()).isEqualTo(0.999);
        assertThat(r.meanMs()).isCloseTo(0.5005, within(1e-9));
    }

    @Test
    void p99OfMillisecondLatenciesIsWithinATenthOfAPercent() {
        // 9,890 records at 1.2 ms and 110 at 8.765 ms: the 9,900th of 10,000 is the first slow one.
        Histogram h = repeated(8_765, 110, repeated(1_200, 9_890, LatencySlice.newHistogram()));
        LatencyResult r = LatencyResult.of(List.of(slice("portmap", 1, h)));
        assertThat(r.p50Ms()).isEqualTo(1.200);
        assertThat(r.p99Ms()).isCloseTo(8.765, within(0.009)).isGreaterThanOrEqualTo(8.765);
        assertThat(r.acknowledged()).isEqualTo(10_000);
    }

    @Test
    void aRoundsP99IsOverAllItsSlicesAndPoolingMergesTheRounds() {
        // Slice 1 all at 1 ms; slice 2 has 400 of 10,000 at 2 ms (values below 2,048 µs are exact): together 2 %
        // slow, so the round's p99 is 2 ms although slice 1's own p99 is 1 ms.
        LatencySlice quiet = slice("rewrite", 1, repeated(1_000, 10_000, LatencySlice.newHistogram()));
        LatencySlice noisy = slice("rewrite", 2, repeated(2_000, 400, repeated(1_000, 9_600,
                LatencySlice.newHistogram())));
        LatencyResult round1 = LatencyResult.of(List.of(quiet, noisy));
        assertThat(LatencyResult.of(List.of(quiet)).p99Ms()).isEqualTo(1.0);
        assertThat(round1.p99Ms()).isEqualTo(2.0);
        assertThat(round1.sent()).isEqualTo(20_000);
        // A quiet second round: pooled, 400 slow of 40,000 records is exactly 1 %, so p99 falls back to 1 ms.
        LatencyResult round2 = LatencyResult.of(List.of(quiet,
                slice("rewrite", 2, repeated(1_000, 10_000, LatencySlice.newHistogram()))));
        LatencyResult pooled = LatencyResult.pooled(List.of(round1, round2));
        assertThat(pooled.acknowledged()).isEqualTo(40_000);
        assertThat(pooled.p99Ms()).isEqualTo(1.0);
        assertThat(pooled.percentileMs(99.5)).isEqualTo(2.0);
    }

    @Test
    void aSliceLineParsesBackToTheSameNumbers() {
        Histogram h = repeated(1_500, 9_000, repeated(900, 997, LatencySlice.newHistogram()));
        h.recordValue(23_456);
        LatencySlice s = new LatencySlice("rewrite-cap-v15", 2, 10_000, 2, 7, 3_250, h);
        String line = s.line();
        assertThat(line).startsWith("latency-slice target=rewrite-cap-v15 slice=2 sent=10000 failed=2 late=7 "
                + "max-lag-us=3250 p50-us=1500 p99-us=1500 p99.9-us=1500 max-us=23471 histogram=");
        LatencySlice parsed = LatencySlice.parse(line, "r1-latency.log:9");
        assertThat(parsed).isEqualTo(s);
        assertThat(parsed.latencies().getTotalCount()).isEqualTo(9_998);
        assertThat(LatencyResult.of(List.of(parsed)).percentileMs(100)).isCloseTo(23.456, within(0.024));
    }

    @Test
    void probeOutputGivesEachTargetItsSlicesInOrder() {
        String out = String.join("\n",
                "latency-probe rate=5000 records=4 slices=2 slice-seconds=0.00 warmup-records=0 targets=direct,portmap",
                "latency-warmup target=direct sent=0 failed=0 late=0 (not measured)",
                slice("direct", 1, micros(800, 900)).line(),
                slice("portmap", 1, micros(1_000, 1_100)).line(),
                slice("direct", 2, micros(700, 2_000)).line(),
                slice("portmap", 2, micros(1_200, 3_000)).line(),
                "latency-target target=direct sent=4 failed=0 late=0 (ignored by the parser)");
        Map<String, LatencyResult> r = LatencyResult.parseProbeOutput(out, "r1-latency.log");
        assertThat(r.keySet()).containsExactly("direct", "portmap");
        assertThat(r.get("direct").sent()).isEqualTo(4);
        assertThat(r.get("direct").percentileMs(100)).isEqualTo(2.0);
        assertThat(r.get("portmap").p50Ms()).isEqualTo(1.1);
        assertThat(r.get("portmap").slices()).extracting(LatencySlice::slice).containsExactly(1, 2);
    }

    @Test
    void aRealProbeLogParsesToTheNumbersTheProbePrinted() throws Exception {
        // r1-latency.log of a real 2-round run (direct, portmap, rewrite-cap-v15; load average 4-6; the rotations
        // start at direct, portmap, rewrite-cap-v15). Its latency-target lines, which the parser ignores, hold what
        // the probe itself computed from the same records.
        String out;
        try (var in = LatencyProbeTest.class.getResourceAsStream("/latency-probe-r1.log")) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, LatencyResult> r = LatencyResult.parseProbeOutput(out, "latency-probe-r1.log");
        assertThat(r.keySet()).containsExactly("direct", "portmap", "rewrite-cap-v15");
        // latency-target target=direct sent=30000 failed=0 late=132 max-lag-ms=4.80 p50-ms=0.71 p99-ms=8.74
        //   p99.9-ms=19.36 max-ms=22.53 mean-ms=1.016
        LatencyResult direct = r.get("direct");
        assertThat(direct.sent()).isEqualTo(30_000);
        assertThat(direct.acknowledged()).isEqualTo(30_000);
        assertThat(direct.failed()).isZero();
        assertThat(direct.late()).isEqualTo(132);
        assertThat(direct.maxLagMicros()).isEqualTo(4_802);
        assertThat(direct.p50Ms()).isCloseTo(0.71, within(0.005));
        assertThat(direct.p99Ms()).isCloseTo(8.74, within(0.005));
        assertThat(direct.p999Ms()).isCloseTo(19.36, within(0.005));
        assertThat(direct.meanMs()).isCloseTo(1.016, within(0.0005));
        // latency-target target=portmap ... p99-ms=7.04 p99.9-ms=15.05; its slices' p99 were 12.3, 2.7 and 4.6 ms:
        // the round's p99 is over all 30,000 records, not an average of the slices'.
        LatencyResult portmap = r.get("portmap");
        assertThat(portmap.p99Ms()).isCloseTo(7.04, within(0.005));
        assertThat(portmap.p999Ms()).isCloseTo(15.05, within(0.005));
        assertThat(portmap.slices()).extracting(s -> LatencyResult.of(List.of(s)).p99Ms())
                .containsExactly(12.311, 2.739, 4.567);
        assertThat(r.get("rewrite-cap-v15").late()).isEqualTo(163);
    }

    @Test
    void incompleteOrInconsistentProbeOutputIsAnErrorNamingTheLog() {
        String missing = slice("direct", 1, micros(800)).line() + "\n" + slice("direct", 2, micros(800)).line() + "\n"
                + slice("portmap", 1, micros(900)).line();
        assertThatThrownBy(() -> LatencyResult.parseProbeOutput(missing, "r2-latency.log"))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("r2-latency.log: target portmap has slices [1]; every target needs slices [1, 2]");
        assertThatThrownBy(() -> LatencyResult.parseProbeOutput("Exception in thread \"main\" TimeoutException",
                "r3-latency.log"))
                .hasMessageContaining("r3-latency.log: the latency probe printed no latency-slice line")
                .hasMessageContaining("TimeoutException");
        String uncounted = slice("direct", 1, micros(800, 900)).line().replace("sent=2 ", "sent=5 ");
        assertThatThrownBy(() -> LatencyResult.parseProbeOutput(uncounted, "r4-latency.log"))
                .hasMessageContaining("r4-latency.log:1: slice 1 of direct: 5 sent but 2 acknowledged and 0 failed");
        assertThatThrownBy(() -> LatencySlice.parse("latency-slice target=direct slice=1 sent=1 failed=0 late=0 "
                + "max-lag-us=0 histogram=bm90IGEgaGlzdG9ncmFt", "r5-latency.log:4"))
                .hasMessageContaining("r5-latency.log:4: histogram= is not a base64 compressed HdrHistogram");
    }

    @Test
    void slicesSplitTheRecordsAndTheFirstTakeTheRemainder() {
        LatencyProbe.Plan plan = LatencyProbe.Plan.parse(new String[] {"--topic", "bench", "--record-size", "1024",
            "--rate", "5000", "--records", "10", "--slices", "3", "--warmup-records", "5",
            "--target", "direct=127.0.50.1:9092,127.0.50.2:9092", "--target", "portmap=b1.portmap:20000"});
        assertThat(List.of(plan.sliceRecords(1), plan.sliceRecords(2), plan.sliceRecords(3))).containsExactly(4L, 3L, 3L);
        // Two targets: direct, portmap | portmap, direct | direct, portmap: each first as often as the rotations allow.
        assertThat(List.of(plan.rotation(1), plan.rotation(2), plan.rotation(3)))
                .containsExactly(List.of(0, 1), List.of(1, 0), List.of(0, 1));
        assertThat(plan.targets()).extracting(LatencyProbe.Target::bootstrap)
                .containsExactly("127.0.50.1:9092,127.0.50.2:9092", "b1.portmap:20000");
        assertThatThrownBy(() -> LatencyProbe.Plan.parse(new String[] {"--topic", "bench", "--record-size", "1024",
            "--rate", "5000", "--records", "2", "--slices", "3", "--warmup-records", "0", "--target", "direct=x:1"}))
                .hasMessageContaining("--records 2, --slices 3");
        assertThatThrownBy(() -> LatencyProbe.Plan.parse(new String[] {"--topic", "bench", "--record-size", "1024",
            "--rate", "5000", "--records", "3", "--slices", "3", "--warmup-records", "0", "--target", "direct:x:1"}))
                .hasMessageContaining("is not NAME=BOOTSTRAP");
    }

    @Test
    void recordsDueWithinATickGoTogetherAsProducerPerformanceSendsThem() {
        LatencyProbe.Plan ticked = LatencyProbe.Plan.parse(new String[] {"--topic", "bench", "--record-size", "1024",
            "--rate", "5000", "--records", "30000", "--slices", "3", "--warmup-records", "0", "--target", "direct=x:1"});
        assertThat(ticked.tickMicros()).isEqualTo(2_000);
        // 200 µs apart, ten to a 2 ms tick: records 0-9 at 0, 10-19 at 2 ms, …; 5,000 in the first second.
        assertThat(List.of(ticked.dueNanos(0), ticked.dueNanos(9), ticked.dueNanos(10), ticked.dueNanos(19),
                ticked.dueNanos(4_999), ticked.dueNanos(5_000)))
                .containsExactly(0L, 0L, 2_000_000L, 2_000_000L, 998_000_000L, 1_000_000_000L);
        LatencyProbe.Plan even = LatencyProbe.Plan.parse(new String[] {"--topic", "bench", "--record-size", "1024",
            "--rate", "3000", "--records", "30000", "--slices", "3", "--warmup-records", "0", "--tick-us", "0",
            "--target", "direct=x:1"});
        assertThat(List.of(even.dueNanos(1), even.dueNanos(2), even.dueNanos(3_000)))
                .containsExactly(333_333L, 666_666L, 1_000_000_000L);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--latency-tick-us", "-1"}, Path.of("/repo")))
                .hasMessageStartingWith("--latency-tick-us: -1 is not a tick; use 0 (evenly spaced)");
    }

    @Test
    void latencySlicesOptionIsCheckedAgainstTheRecords() {
        BenchOptions o = BenchOptions.parse(new String[] {"--latency-records", "40000", "--latency-slices", "4"},
                Path.of("/repo"));
        assertThat(o.latencyRecords()).isEqualTo(40_000);
        assertThat(o.latencySlices()).isEqualTo(4);
        BenchOptions defaults = BenchOptions.parse(new String[0], Path.of("/repo"));
        assertThat(defaults.latencyRecords()).isEqualTo(300_000);
        assertThat(defaults.latencySlices()).isEqualTo(30); // 2 s each at 5,000 records/s
        assertThat(defaults.latencyWarmupRecords()).isEqualTo(15_000);
        BenchOptions few = BenchOptions.parse(new String[] {"--latency-records", "1000"}, Path.of("/repo"));
        assertThat(few.latencyWarmupRecords()).isEqualTo(500);
        assertThat(few.latencySlices()).isEqualTo(1); // less than 2 s of records: one slice
        assertThat(BenchOptions.parse(new String[] {"--latency-records", "60000", "--latency-rate", "3000"},
                Path.of("/repo")).latencySlices()).isEqualTo(10);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--latency-records", "2", "--latency-slices", "3"},
                Path.of("/repo")))
                .hasMessageStartingWith("--latency-slices: 3 is not a slice count for 2 latency records");
    }
}
