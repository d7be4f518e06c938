package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundOrderTest {

    private static final List<String> TARGETS = List.of("direct", "portmap", "rewrite", "rewrite-cap-v15");

    @Test
    void roundOneIsTheFileOrderAndEachRoundStartsOneTargetLater() {
        assertThat(BenchMain.roundOrder(TARGETS, 1)).isEqualTo(TARGETS);
        assertThat(BenchMain.roundOrder(TARGETS, 2)).containsExactly("portmap", "rewrite", "rewrite-cap-v15", "direct");
        assertThat(BenchMain.roundOrder(TARGETS, 4)).containsExactly("rewrite-cap-v15", "direct", "portmap", "rewrite");
        assertThat(BenchMain.roundOrder(TARGETS, 5)).isEqualTo(TARGETS);
    }

    @Test
    void overAsManyRoundsAsTargetsEveryTargetTakesEveryPositionOnce() {
        for (int position = 0; position < TARGETS.size(); position++) {
            Set<String> seen = new HashSet<>();
            for (int round = 1; round <= TARGETS.size(); round++) {
                List<String> order = BenchMain.roundOrder(TARGETS, round);
                assertThat(order).containsExactlyInAnyOrderElementsOf(TARGETS);
                seen.add(order.get(position));
            }
            assertThat(seen).as("targets in position %d over %d rounds", position, TARGETS.size())
                    .containsExactlyInAnyOrderElementsOf(TARGETS);
        }
    }

    @Test
    void roundsCountFromOne() {
        assertThatThrownBy(() -> BenchMain.roundOrder(TARGETS, 0)).hasMessageContaining("rounds count from 1");
        assertThat(BenchMain.roundOrder(List.of("direct"), 3)).containsExactly("direct");
    }

    @Test
    void withoutRoundsGivenEveryMeasuredTargetGetsARoundSoThatTheOrderIsBalanced() {
        BenchOptions defaults = BenchOptions.parse(new String[0], java.nio.file.Path.of("/repo"));
        assertThat(defaults.roundsFor(3)).isEqualTo(4);
        assertThat(defaults.roundsFor(4)).isEqualTo(4);
        // direct, direct-external and three gateways: five rounds, each target first once.
        assertThat(defaults.roundsFor(5)).isEqualTo(5);
        BenchOptions given = BenchOptions.parse(new String[] {"--rounds", "3"}, java.nio.file.Path.of("/repo"));
        assertThat(given.roundsFor(5)).isEqualTo(3);
    }
}
