package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuietTest {

    @Test
    void busyIsEverythingButIdleAndIowait() {
        Quiet.CpuTimes t = Quiet.parse("cpu  100 5 20 800 50 3 2 10 0 0");
        assertThat(t.busy()).isEqualTo(100 + 5 + 20 + 3 + 2 + 10);
        assertThat(t.total()).isEqualTo(t.busy() + 800 + 50);
    }

    @Test
    void busyShareIsTheBusyPartOfTheTimeBetweenTwoReadings() {
        Quiet.CpuTimes before = Quiet.parse("cpu  100 0 100 1000 0 0 0 0 0 0");
        Quiet.CpuTimes after = Quiet.parse("cpu  130 0 110 1060 0 0 0 0 0 0");
        assertThat(after.busySince(before)).isCloseTo(40.0 / 100, within(1e-9));
        assertThat(before.busySince(before)).isZero();
    }

    @Test
    void anotherLineIsRefusedByName() {
        assertThatThrownBy(() -> Quiet.parse("cpu0 1 2 3")).hasMessageContaining("not the cpu line of /proc/stat");
    }
}
