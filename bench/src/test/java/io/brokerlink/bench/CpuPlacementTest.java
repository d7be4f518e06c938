package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real processes moved with taskset: this test JVM (as the brokers' JVM) and a child as a gateway. */
class CpuPlacementTest {

    @Test
    void everyThreadMovesBetweenTheShapesAndBack() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        assumeThat(cpus).as("a split needs two CPUs").isGreaterThanOrEqualTo(2);
        CpuSplit split = CpuSplit.defaultFor(cpus).orElseThrow();
        long self = ProcessHandle.current().pid();
        Process gateway = new ProcessBuilder("sleep", "60").start();
        CpuPlacement placement = new CpuPlacement(split);
        try {
            placement.addGateway("g", gateway.pid());
            placement.place(CpuShape.GATEWAY_APART);
            assertThat(placement.current()).isEqualTo(CpuShape.GATEWAY_APART);
            assertThat(CpuPlacement.threadsNotOn(self, split.rest())).isEmpty();
            assertThat(CpuPlacement.threadsNotOn(gateway.pid(), split.gateway())).isEmpty();
            assertThat(CpuPlacement.threadsNotOn(gateway.pid(), split.rest())).isNotEmpty();
            // A thread started now inherits the CPUs of the thread that starts it: the rest.
            AtomicReference<Set<Integer>> seen = new AtomicReference<>();
            Thread t = new Thread(() -> seen.set(allowedOfThisThread()));
            t.start();
            t.join();
            assertThat(seen.get()).isEqualTo(split.rest());

            placement.place(CpuShape.SHARED);
            assertThat(CpuPlacement.threadsNotOn(self, split.all())).isEmpty();
            assertThat(CpuPlacement.threadsNotOn(gateway.pid(), split.all())).isEmpty();
        } finally {
            placement.place(CpuShape.SHARED);
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Set<Integer> allowedOfThisThread() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return CpuSplit.cpuSet(line.substring(line.indexOf(':') + 1).trim(), "status");
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Set.of();
    }
}
