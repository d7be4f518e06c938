package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options that choose what a run measures: CPU shapes and the produce runs' warm-up. */
class BenchOptionsTest {

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, Path.of("/repo"));
    }

    @Test
    void bothShapesApartFirstUnlessOneIsChosen() {
        assertThat(parse("--gateway-cpus", "1").shapes()).containsExactly(CpuShape.GATEWAY_APART, CpuShape.SHARED);
        assertThat(parse("--gateway-cpus", "1", "--shapes", "apart").shapes()).containsExactly(CpuShape.GATEWAY_APART);
        assertThat(parse("--gateway-cpus", "1", "--shapes", "shared,apart").shapes())
                .containsExactly(CpuShape.GATEWAY_APART, CpuShape.SHARED);
        assertThat(parse("--gateway-cpus", "none").shapes()).containsExactly(CpuShape.SHARED);
        assertThat(parse("--gateway-cpus", "none", "--shapes", "shared").shapes()).containsExactly(CpuShape.SHARED);
    }

    @Test
    void aShapeThatCannotBeMeasuredIsRefusedSayingWhy() {
        assertThatThrownBy(() -> parse("--gateway-cpus", "none", "--shapes", "apart"))
                .isInstanceOf(BenchException.class).hasMessageContaining("--gateway-cpus is none")
                .hasMessageContaining("use --shapes shared");
        assertThatThrownBy(() -> parse("--shapes", "apart,both"))
                .isInstanceOf(BenchException.class).hasMessageContaining("--shapes: \"both\" is not a shape");
    }

    @Test
    void warmupRecordsLeaveRecordsToCount() {
        assertThat(parse().produceWarmupRecords()).isZero();
        BenchOptions o = parse("--produce-records", "700000", "--produce-warmup-records", "150000");
        assertThat(List.of(o.produceRecords(), o.produceWarmupRecords())).containsExactly(700_000L, 150_000L);
        assertThatThrownBy(() -> parse("--produce-records", "1000", "--produce-warmup-records", "1000"))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("--produce-warmup-records: 1000 leaves no record to count")
                .hasMessageContaining("use 0 (count the whole run) to 999");
    }
}
