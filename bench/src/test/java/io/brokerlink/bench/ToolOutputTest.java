package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The summary lines of Kafka 4.3.1's perf tools, as a real run printed them. */
class ToolOutputTest {

    @Test
    void producerSummaryIsTheWholeRunLine() {
        String out = """
                41001 records sent, 8200.2 records/sec (8.01 MB/sec), 1520.6 ms avg latency, 2104.0 ms max latency.
                200000 records sent, 43047.783039 records/sec (42.04 MB/sec), 565.73 ms avg latency, 809.00 ms max \
                latency, 577 ms 50th, 716 ms 95th, 757 ms 99th, 802 ms 99.9th.
                """;
        ProduceResult r = ProduceResult.parse(out);
        assertThat(r.records()).isEqualTo(200_000);
        assertThat(r.mbPerSec()).isEqualTo(42.04);
        assertThat(r.avgLatencyMs()).isEqualTo(565.73);
        assertThat(r.p99Ms()).isEqualTo(757);
        assertThat(r.p999Ms()).isEqualTo(802);
    }

    /** A run with --warmup-records: the whole run's line, then the steady-state line. */
    private static final String WITH_WARMUP = "35000 records sent, 4999.2 records/sec (4.88 MB/sec), 9.61 ms avg "
            + "latency, 180.00 ms max latency, 2 ms 50th, 9 ms 95th, 151 ms 99th, 175 ms 99.9th.\n"
            + "30000 steady state records sent, 4999.5 records/sec (4.89 MB/sec), 2.10 ms avg latency, 14.00 ms max "
            + "latency, 2 ms 50th, 3 ms 95th, 4 ms 99th, 9 ms 99.9th.\n";

    @Test
    void wholeRunLineEvenWhenASteadyStateLineFollows() {
        ProduceResult r = ProduceResult.parse(WITH_WARMUP);
        assertThat(r.records()).isEqualTo(35_000);
        assertThat(r.mbPerSec()).isEqualTo(4.88);
        assertThat(r.p99Ms()).isEqualTo(151);
    }

    @Test
    void steadyStateLineWhenAskedFor() {
        ProduceResult r = ProduceResult.parseSteadyState(WITH_WARMUP);
        assertThat(r.records()).isEqualTo(30_000);
        assertThat(r.mbPerSec()).isEqualTo(4.89);
        assertThat(r.p99Ms()).isEqualTo(4);
        String wholeOnly = WITH_WARMUP.substring(0, WITH_WARMUP.indexOf('\n') + 1);
        assertThatThrownBy(() -> ProduceResult.parseSteadyState(wholeOnly))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("no steady-state summary line")
                .hasMessageContaining("35000 records sent");
    }

    @Test
    void producerOutputWithoutSummaryIsAnErrorShowingTheOutput() {
        assertThatThrownBy(() -> ProduceResult.parse("Exception in thread \"main\" TimeoutException"))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("no summary line")
                .hasMessageContaining("TimeoutException");
    }

    @Test
    void consumerResultLineUnderItsHeader() {
        String out = """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, \
                rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                2026-11-21 07:13:45:382, 2026-11-21 07:13:47:657, 1465.2637, 644.0719, 1500430, 659529.6703, 334, \
                1941, 754.9014, 773019.0623
                """;
        ConsumeResult r = ConsumeResult.parse(out);
        assertThat(r.records()).isEqualTo(1_500_430);
        assertThat(r.fetchMbPerSec()).isEqualTo(754.9014);
        assertThat(r.rebalanceMs()).isEqualTo(334);
        assertThat(r.fetchMs()).isEqualTo(1941);
    }

    @Test
    void consumerOutputWithOnlyTheHeaderIsAnError() {
        assertThatThrownBy(() -> ConsumeResult.parse("start.time, end.time, data.consumed.in.MB, MB.sec, "
                + "data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n"))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("no result line");
    }
}
