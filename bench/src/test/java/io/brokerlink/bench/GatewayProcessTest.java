package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Program targets: a process that is not a JVM, started, waited for, charged CPU time and stopped like a gateway. */
class GatewayProcessTest {

    @Test
    void aProgramThatIsNotInstalledIsRefusedNamingItAndTheWayOut(@TempDir Path dir) {
        assertThatThrownBy(() -> GatewayProcess.startProgram("haproxy", List.of("no-such-program-brokerlink", "-db"),
                dir.resolve("log"), ""))
                .isInstanceOf(BenchException.class)
                .hasMessageStartingWith("target haproxy: no-such-program-brokerlink is not an executable program here")
                .hasMessageContaining("apt-get install haproxy");
    }

    /**
     * A real program (a shell that prints, then sleeps): it runs on the CPUs asked for, its output reaches the log, a
     * listener that never comes is reported naming the log, it has no JIT threads, and closing it ends it.
     */
    @Test
    void aProgramRunsOnItsCpusWritesItsLogAndStopsOnClose(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gateway-sh.log");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free once closed: nothing listens there while the program runs
        }
        try (GatewayProcess p = GatewayProcess.startProgram("sh", List.of("sh", "-c", "echo started; exec sleep 60"),
                log, "0")) {
            // taskset sets the CPUs, then execs the program: poll past that moment.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!CpuPlacement.threadsNotOn(p.pid(), java.util.Set.of(0)).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(CpuPlacement.threadsNotOn(p.pid(), java.util.Set.of(0))).isEmpty();
            assertThat(p.jitCpuMillis()).isZero();
            assertThat(p.cpuMillis()).isGreaterThanOrEqualTo(0);
            assertThatThrownBy(() -> p.awaitListening(
                    List.of(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port)), 1))
                    .isInstanceOf(BenchException.class).hasMessageContaining("see " + log);
            long pid = p.pid();
            p.close();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThat(Files.readString(log)).contains("started");
    }
}
