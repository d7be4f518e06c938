package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuSplitTest {

    @Test
    void theGatewaysGetTheListAndTheRestEveryOtherCpu() {
        CpuSplit split = CpuSplit.parse("1", 2);
        assertThat(CpuSplit.list(split.gateway())).isEqualTo("1");
        assertThat(CpuSplit.list(split.rest())).isEqualTo("0");
        CpuSplit ranges = CpuSplit.parse("1,4-5", 8);
        assertThat(CpuSplit.list(ranges.gateway())).isEqualTo("1,4,5");
        assertThat(CpuSplit.list(ranges.rest())).isEqualTo("0,2,3,6,7");
        assertThat(ranges.describe()).isEqualTo("gateways on CPU 1,4,5, the brokers and the clients on CPU 0,2,3,6,7");
    }

    @Test
    void badListsNameTheOptionAndWhatIsValid() {
        assertThatThrownBy(() -> CpuSplit.parse("2", 2)).hasMessageContaining("--gateway-cpus: \"2\" is not within "
                + "CPUs 0-1 of this machine");
        assertThatThrownBy(() -> CpuSplit.parse("one", 2)).hasMessageContaining("is not a CPU number or range");
        assertThatThrownBy(() -> CpuSplit.parse("0-1", 2)).hasMessageContaining("need at least one CPU each");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--gateway-cpus", "4096"}, java.nio.file.Path.of("/r")))
                .hasMessageContaining("--gateway-cpus");
    }
}
