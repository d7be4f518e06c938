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

    @Test
    void byDefaultTheLastCpuIsTheGatewaysOnAMachineWithTwoOrMore() {
        assertThat(CpuSplit.defaultFor(1)).isEmpty();
        CpuSplit two = CpuSplit.defaultFor(2).orElseThrow();
        assertThat(two.gateway()).containsExactly(1);
        assertThat(two.rest()).containsExactly(0);
        assertThat(two.all()).containsExactlyInAnyOrder(0, 1);
        assertThat(CpuSplit.defaultFor(8).orElseThrow().gateway()).containsExactly(7);
        assertThat(BenchOptions.parse(new String[] {"--gateway-cpus", "none"}, java.nio.file.Path.of("/r")).cpuSplit())
                .isEmpty();
    }

    @Test
    void cpuListsReadAsTasksetAndProcWriteThem() {
        assertThat(CpuSplit.cpuSet("0-1", "x")).containsExactly(0, 1);
        assertThat(CpuSplit.cpuSet("0,2-3", "x")).containsExactly(0, 2, 3);
        assertThatThrownBy(() -> CpuSplit.cpuSet("3-1", "status")).hasMessageContaining("status: \"3-1\" is not a CPU "
                + "range");
    }
}
