package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The results table's latency part: per-round p99 medians, pooled p99, differences to direct in ms, verdicts. */
class ResultsTest {

    /** A round of 1,000 acknowledged records per slice, all at the slice's latency (µs below 2,048 are exact). */
    private static LatencyResult round(String target, long failedInLastSlice, long... sliceMicros) {
        List<LatencySlice> slices = new ArrayList<>();
        for (int k = 0; k < sliceMicros.length; k++) {
            Histogram h = LatencySlice.newHistogram();
            h.recordValueWithCount(sliceMicros[k], 1_000);
            long failed = k == sliceMicros.length - 1 ? failedInLastSlice : 0;
            slices.add(new LatencySlice(target, k + 1, 1_000 + failed, failed, 0, 0, h));
        }
        return LatencyResult.of(slices);
    }

    @Test
    void latencyTableShowsMediansPooledAndDifferencesToDirectInHundredthsOfAMillisecond() {
        Results results = new Results(Set.of("portmap"));
        List<String> order = List.of("direct", "portmap", "rewrite");
        Results.Throughput shared = results.throughput(CpuShape.SHARED);
        for (String t : order) {
            shared.produce(t, new ProduceResult(200_000, 40_000, 39.06, 500, 800, 480, 700, 750, 790));
            shared.consume(t, new ConsumeResult(1465, 1_500_000, 600, 300, 2_000, 732.5));
        }
        results.latency("direct", round("direct", 0, 500, 500, 500));
        results.latency("direct", round("direct", 0, 500, 500, 500));
        // portmap: round p99s 1.00 and 2.00 ms (median 1.50, +1.00); pooled, 1,000 of 6,000 at 2 ms: p99 2.00 (+1.50,
        // missed: the verdict is on the pooled p99).
        results.latency("portmap", round("portmap", 0, 1_000, 1_000, 1_000));
        results.latency("portmap", round("portmap", 0, 1_000, 2_000, 1_000));
        // rewrite: 2 ms throughout (+1.50: missed), 5 sends failed in round 2.
        results.latency("rewrite", round("rewrite", 0, 2_000, 2_000, 2_000));
        results.latency("rewrite", round("rewrite", 5, 2_000, 2_000, 2_000));
        String table = results.table(order, BenchOptions.parse(new String[] {"--rounds", "2"}, Path.of("/repo")));

        assertThat(table).contains("300000 × 1 KiB records at 5000 records/s (those due within 2000 µs sent together), "
                + "acks=all, linger 0, in 30 slices of 2.00 s").contains("after 15000 warm-up records per target");
        assertThat(table).contains("| direct | 0.50 | 0.50 | 0.50 | +0.00 | 0.50 | +0.00 | 0.50 | 6000 | 0 | 0 |\n"
                + "| portmap | 1.00 | 1.50 | 1.50 | +1.00 | 2.00 | +1.50 | 1.17 | 6000 | 0 | 0 |\n"
                + "| rewrite | 2.00 | 2.00 | 2.00 | +1.50 | 2.00 | +1.50 | 2.00 | 6005 | 5 | 0 |\n");
        assertThat(table).contains("- portmap: produce MB/s [39.1], consume MB/s [732.5], latency p50 ms [1.00 1.00], "
                + "p99 ms [1.00 2.00], p99.9 ms [1.00 2.00]");
        assertThat(table).contains("- portmap: produce 1.00 (met), consume 1.00 (met), p99 +1.50 ms (median of rounds "
                + "+1.00) (MISSED)\n");
        assertThat(table).contains("- rewrite: produce 1.00 (met), consume 1.00 (met), p99 +1.50 ms (median of rounds "
                + "+1.50) (MISSED) with 5 failed sends\n");
        // direct 0.50 throughout, a target at 1.20 in every record: +0.70 both ways, met.
        Results close = new Results(Set.of("portmap"));
        close.latency("direct", round("direct", 0, 500, 500, 500));
        close.latency("portmap", round("portmap", 0, 1_200, 1_200, 1_200));
        assertThat(close.table(List.of("direct", "portmap"), BenchOptions.parse(new String[0], Path.of("/repo"))))
                .contains("p99 +0.70 ms (median of rounds +0.70) (met)");
        assertThat(results.csv()).contains("latency,portmap,2,,,,1.333,1.000,2.000,2.000,3000,0,0,,,,,,shared,\n")
                .contains("latency-slice,portmap,2,2,,,2.000,2.000,2.000,2.000,1000,0,0,,,,,,shared,\n")
                .contains("latency-slice,rewrite,2,3,,,2.000,2.000,2.000,2.000,1005,5,0,,,,,,shared,\n");
    }

    @Test
    void cpuTableGivesTheWholeMachinePerMibAndHowBusyItWas() {
        Results results = new Results(Set.of("portmap"));
        // direct: 2 rounds, 1,000 and 1,200 ms of machine CPU for 500 MiB, the CPUs 90 and 100 % busy.
        Results.Throughput shared = results.throughput(CpuShape.SHARED);
        results.round(1, List.of("direct", "portmap"));
        shared.machineCpu("direct", "consume", 1_000, 0.90, 500);
        results.round(2, List.of("portmap", "direct"));
        shared.machineCpu("direct", "consume", 1_200, 1.00, 500);
        shared.brokersCpu("direct", "consume", 300, 500);
        shared.brokersCpu("portmap", "consume", 300, 500);
        shared.gatewayCpu("portmap", "consume", 200, 500);
        shared.gatewayJit("portmap", "consume", 0, 500);
        shared.machineCpu("portmap", "consume", 1_300, 0.98, 500);
        String table = results.table(List.of("direct", "portmap"), BenchOptions.parse(new String[0], Path.of("/repo")));
        assertThat(table).contains("| direct | NaN | - | - | 0.60 | - | 2.20 (95 %) |")
                .contains("| portmap | NaN | NaN (NaN) | - | 0.60 | 0.40 (0.00) | 2.60 (98 %) |");
    }

    @Test
    void orderSectionAndCsvShowEachRunsPositionInItsRoundAndItsCpu() {
        Results results = new Results(Set.of("portmap"));
        Results.Throughput shared = results.throughput(CpuShape.SHARED);
        // Round 1: direct then portmap; round 2 the other way round. Whichever consumes first gets less.
        results.round(1, List.of("direct", "portmap"));
        shared.consume("direct", new ConsumeResult(1000, 1_000_000, 500, 0, 2_500, 400));
        shared.machineCpu("direct", "consume", 4_000, 0.875, 1000);
        shared.consume("portmap", new ConsumeResult(1000, 1_000_000, 500, 0, 1_667, 600));
        shared.gatewayCpu("portmap", "consume", 400, 1000);
        results.round(2, List.of("portmap", "direct"));
        shared.consume("portmap", new ConsumeResult(1000, 1_000_000, 500, 0, 2_222, 450));
        shared.consume("direct", new ConsumeResult(1000, 1_000_000, 500, 0, 1_538, 650));
        for (String t : List.of("direct", "portmap", "portmap", "direct")) {
            shared.produce(t, new ProduceResult(200_000, 40_000, 39.06, 500, 800, 480, 700, 750, 790));
        }
        String table = results.table(List.of("direct", "portmap"), BenchOptions.parse(new String[0], Path.of("/repo")));
        // First: 400 / 500 and 450 / 550, median 0.81; second: 600 / 500 and 650 / 550, median 1.19.
        assertThat(table).contains("- consume: position 1 0.81, position 2 1.19\n")
                .contains("- produce: position 1 1.00, position 2 1.00\n");
        assertThat(table).doesNotContain("Unbalanced order"); // 2 rounds, 2 targets: each first once
        results.round(3, List.of("direct", "portmap"));
        shared.consume("direct", new ConsumeResult(1000, 1_000_000, 500, 0, 2_500, 400));
        shared.consume("portmap", new ConsumeResult(1000, 1_000_000, 500, 0, 1_667, 600));
        assertThat(results.table(List.of("direct", "portmap"), BenchOptions.parse(new String[0], Path.of("/repo"))))
                .contains("Unbalanced order: 3 rounds for 2 targets")
                .contains("use a multiple of 2 for --rounds");
        assertThat(results.csv())
                .startsWith("kind,target,round,slice,mb_per_sec,records_per_sec,avg_ms,p50_ms,p99_ms,p999_ms,sent,"
                        + "failed,late,position,machine_cpu_ms_per_mib,cpus_busy_pct,brokers_cpu_ms_per_mib,"
                        + "gateway_cpu_ms_per_mib,cpus,forwards_to\n")
                .contains("consume,direct,1,,400.00,400000.0,,,,,1000000,,,1,4.000,87.500,,,shared,internal\n")
                .contains("consume,portmap,1,,600.00,599880.0,,,,,1000000,,,2,,,,0.400,shared,external\n")
                .contains("consume,direct,2,,650.00,650195.1,,,,,1000000,,,2,,,,,shared,internal\n");
    }

    @Test
    void withTheGatewaysApartTheTargetsAreJudgedOnThoseRunsAndTheSharedRunsAreReportedBeside() {
        Results results = new Results(Set.of("portmap"));
        Results.Throughput apart = results.throughput(CpuShape.GATEWAY_APART);
        Results.Throughput shared = results.throughput(CpuShape.SHARED);
        List<String> order = List.of("direct", "portmap");
        results.round(1, order);
        // Apart: portmap consumes at 0.96 of direct (met) and produces at 0.94 (missed). Shared: 0.88 and 1.00.
        apart.produce("direct", new ProduceResult(200_000, 20_000, 20.0, 500, 800, 480, 700, 750, 790));
        apart.produce("portmap", new ProduceResult(200_000, 18_800, 18.8, 500, 800, 480, 700, 750, 790));
        apart.consume("direct", new ConsumeResult(1000, 1_000_000, 400, 0, 2_000, 400));
        apart.consume("portmap", new ConsumeResult(1000, 1_000_000, 384, 0, 2_083, 384));
        apart.gatewayCpu("portmap", "consume", 350, 1000);
        shared.produce("direct", new ProduceResult(200_000, 30_000, 30.0, 500, 800, 480, 700, 750, 790));
        shared.produce("portmap", new ProduceResult(200_000, 30_000, 30.0, 500, 800, 480, 700, 750, 790));
        shared.consume("direct", new ConsumeResult(1000, 1_000_000, 600, 0, 1_667, 600));
        shared.consume("portmap", new ConsumeResult(1000, 1_000_000, 528, 0, 1_894, 528));
        shared.gatewayCpu("portmap", "consume", 400, 1000);
        results.latency("direct", round("direct", 0, 500, 500, 500));
        results.latency("portmap", round("portmap", 0, 600, 600, 600));
        assertThat(results.judged()).isEqualTo(CpuShape.GATEWAY_APART);

        String table = results.table(order, BenchOptions.parse(new String[] {"--rounds", "1"}, Path.of("/repo")));
        assertThat(table)
                .contains("Throughput, the gateways on CPUs of their own, the brokers and the clients on the rest (the "
                        + "targets are judged on this):\n\n| target | produce MB/s | produce ×direct | consume MB/s "
                        + "| consume ×direct |\n|---|---:|---:|---:|---:|\n| direct | 20.0 | 1.00 | 400.0 | 1.00 |\n"
                        + "| portmap | 18.8 | 0.94 | 384.0 | 0.96 |\n")
                .contains("Throughput, every process sharing every CPU (reported beside, not judged")
                .contains("| portmap | 30.0 | 1.00 | 528.0 | 0.88 |\n")
                .contains("- portmap: apart: produce MB/s [18.8], consume MB/s [384.0]; shared: produce MB/s [30.0], "
                        + "consume MB/s [528.0]; latency p50 ms [0.60]")
                .contains("The gateways on CPUs of their own, the brokers and the clients on the rest:\n\n")
                .contains("Every process sharing every CPU:\n\n")
                .contains("| portmap | NaN | NaN (NaN) | - | NaN | 0.35 (NaN) | - |")
                .contains("| portmap | NaN | NaN (NaN) | - | NaN | 0.40 (NaN) | - |")
                .contains("throughput ≥ 0.95× direct with the gateways on CPUs of their own")
                .contains("- portmap: produce 0.94 (MISSED), consume 0.96 (met), p99 +0.10 ms (median of rounds +0.10) "
                        + "(met); every process sharing every CPU: produce 1.00, consume 0.88 (not judged)\n");
        assertThat(results.csv())
                .contains("consume,portmap,1,,384.00,480076.8,,,,,1000000,,,2,,,,0.350,apart,external\n")
                .contains("consume,portmap,1,,528.00,527983.1,,,,,1000000,,,2,,,,0.400,shared,external\n");

        assertThat(results.table(List.of("direct", "portmap"), BenchOptions.parse(new String[] {"--produce-records",
                "700000", "--produce-warmup-records", "150000"}, Path.of("/repo"))))
                .contains("Produce: 700000 × 1 KiB records, acks=all, the last 550000 counted (steady state after "
                        + "150000 warm-up records).");

        Results sharedOnly = new Results(Set.of("portmap"));
        sharedOnly.throughput(CpuShape.SHARED).consume("direct", new ConsumeResult(1000, 1_000_000, 600, 0, 1_667, 600));
        assertThat(sharedOnly.judged()).isEqualTo(CpuShape.SHARED);
        assertThat(sharedOnly.table(List.of("direct"), BenchOptions.parse(new String[0], Path.of("/repo"))))
                .contains("Throughput, every process sharing every CPU (the targets are judged on this)")
                .doesNotContain("not judged");
    }

    @Test
    void portmapsRatioToDirectAccessToTheExternalListenerIsReportedBesideTheVerdictAgainstDirect() {
        Results results = new Results(Set.of("portmap"));
        Results.Throughput apart = results.throughput(CpuShape.GATEWAY_APART);
        List<String> order = List.of("direct", "direct-external", "portmap", "rewrite");
        results.round(1, order);
        // Produce: direct 20, direct-external 18, portmap 17.5 (0.88 ×direct, 0.97 ×direct-external), rewrite 19.2
        // (0.96 ×direct). Consume: 400, 410, 400 (0.98 ×direct-external), 380.
        apart.produce("direct", new ProduceResult(200_000, 20_000, 20.0, 500, 800, 480, 700, 750, 790));
        apart.produce("direct-external", new ProduceResult(200_000, 18_000, 18.0, 500, 800, 480, 700, 750, 790));
        apart.produce("portmap", new ProduceResult(200_000, 17_500, 17.5, 500, 800, 480, 700, 750, 790));
        apart.produce("rewrite", new ProduceResult(200_000, 19_200, 19.2, 500, 800, 480, 700, 750, 790));
        apart.consume("direct", new ConsumeResult(1000, 1_000_000, 400, 0, 2_000, 400));
        apart.consume("direct-external", new ConsumeResult(1000, 1_000_000, 410, 0, 2_000, 410));
        apart.consume("portmap", new ConsumeResult(1000, 1_000_000, 400, 0, 2_000, 400));
        apart.consume("rewrite", new ConsumeResult(1000, 1_000_000, 380, 0, 2_000, 380));
        for (String t : List.of("direct-external", "portmap")) {
            apart.brokersCpu(t, "produce", 4_000, 100);
            apart.gatewayCpu(t, "produce", 300, 100);
        }
        // Latency is measured without direct-external.
        results.latency("direct", round("direct", 0, 500, 500, 500));
        results.latency("portmap", round("portmap", 0, 600, 600, 600));
        results.latency("rewrite", round("rewrite", 0, 700, 700, 700));

        String table = results.table(order, BenchOptions.parse(new String[0], Path.of("/repo")));
        assertThat(table)
                .contains("| direct-external | 18.0 | 0.90 | 410.0 | 1.03 |\n| portmap | 17.5 | 0.88 | 400.0 | 1.00 |\n")
                .contains("portmap against direct-external (direct access to the listener it forwards to; reported "
                        + "beside, judged against direct): produce ×0.97, consume ×0.98\n")
                .doesNotContain("rewrite against")
                .contains("- portmap: produce 0.88 (MISSED), consume 1.00 (met) (×direct-external: produce 0.97, "
                        + "consume 0.98), p99 +0.10 ms")
                .contains("- rewrite: produce 0.96 (met), consume 0.95 (met), p99 +0.20 ms")
                .doesNotContain("| direct-external | NaN")
                .contains("- direct-external: produce MB/s [18.0], consume MB/s [410.0]\n")
                .contains("| direct-external | 40.00 | - |")
                .contains("| portmap | 40.00 | 3.00 (NaN) |");
        // A baseline gets no verdict of its own.
        assertThat(table.lines().filter(l -> l.startsWith("- direct-external:") && l.contains("(met)"))).isEmpty();

        // Without direct-external in the run, nothing is reported beside.
        Results old = new Results(Set.of("portmap"));
        old.round(1, List.of("direct", "portmap"));
        old.throughput(CpuShape.GATEWAY_APART).produce("direct", new ProduceResult(200_000, 20_000, 20.0, 500, 800,
                480, 700, 750, 790));
        old.throughput(CpuShape.GATEWAY_APART).produce("portmap", new ProduceResult(200_000, 17_500, 17.5, 500, 800,
                480, 700, 750, 790));
        assertThat(old.table(List.of("direct", "portmap"), BenchOptions.parse(new String[0], Path.of("/repo"))))
                .contains("- portmap: produce 0.88 (MISSED), consume NaN (MISSED), p99")
                .doesNotContain("against direct-external").doesNotContain("×direct-external");
    }
}
