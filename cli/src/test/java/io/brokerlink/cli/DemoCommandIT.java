package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code brokerlink demo} end to end, as a user runs it, and stopped at its worst moments. */
class DemoCommandIT {

    private static final List<String> BOUND = List.of(
            "127.0.1.1:9092", "127.0.1.2:9092", "127.0.1.3:9092",
            "127.0.1.1:29092", "127.0.1.2:29092", "127.0.1.3:29092",
            "127.0.1.1:39092", "127.0.1.2:39092", "127.0.1.3:39092",
            "127.0.9.1:9092", "127.0.9.1:9093", "127.0.9.1:9094", "127.0.9.1:9095", "127.0.9.1:9644",
            "127.0.9.2:9092", "127.0.9.2:9093", "127.0.9.2:9094", "127.0.9.2:9644");

    @Test
    void theWholePathPassesInUnderNinetySeconds() throws Exception {
        Path dir = Path.of("target", "demo-it", "full");
        long started = System.nanoTime();
        CliProcess demo = CliProcess.run(Duration.ofSeconds(120), "demo", "--dir", dir.toString());
        double seconds = (System.nanoTime() - started) / 1e9;
        String out = String.join("\n", demo.stdout());

        assertThat(demo.exitCode()).as("exit code; stdout:\n%s\nstderr:%s", out, demo.stderr()).isZero();
        assertThat(seconds).as("demo wall time (s)").isLessThan(90.0);
        for (int step = 1; step <= DemoCommand.STEPS; step++) {
            assertThat(out).contains("[" + step + "/" + DemoCommand.STEPS + "] ");
        }
        // Before: the advertised names lead nowhere, exactly as in the seeds.
        assertThat(out).contains("b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093 (id: 1 rack: usw2-az1) -> ERROR: "
                + "b1.usw2-az1.abc.us-west-2.aws.plc.example.com does not resolve");
        assertThat(out).as("the before step's probe topic was never created").contains("probe topic not created")
                .doesNotContain("probe topic kept");
        // The endpoint from the plan's gateway.yaml, then every broker and the data path through it.
        assertThat(out).contains("READY 127.0.9.1:9092 127.0.9.1:9093 127.0.9.1:9094 127.0.9.1:9095 admin=127.0.9.1:9644");
        assertThat(out).contains("b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094 (id: 2 rack: usw2-az2) -> OK");
        // The proxy path: kafka-proxy's flags, rewritten addresses, every broker OK.
        assertThat(out).contains("READY 127.0.9.2:9092 127.0.9.2:9093 127.0.9.2:9094 admin=127.0.9.2:9644");
        assertThat(out).contains("b3.abc.us-west1.gcp.plc.example.com:9094 (id: 3 rack: usw2-az3) -> OK");
        assertThat(out.split("RESULT: OK", -1)).as("two doctor checks passed").hasSize(3);
        assertThat(out).contains("partition 2 (leader 3) -> produced and consumed");
        assertThat(out).contains("Demo passed in ");

        assertThat(dir.resolve("plan/gateway.yaml")).exists();
        assertThat(dir.resolve("plan/topology.svg")).exists();
        assertThat(Files.readString(dir.resolve("spec.yaml"))).contains("host: 127.0.1.2");
        assertThat(Files.readString(dir.resolve("hosts")))
                .contains("127.0.9.1 b1.usw2-az1.abc.us-west-2.aws.plc.example.com");
        assertEverythingFree();
    }

    @Test
    void ctrlCWhileKeptRunningStopsEverything() throws Exception {
        try (CliProcess demo = CliProcess.start("demo", "--keep-running", "--dir", "target/demo-it/kept")) {
            demo.awaitLine(l -> l.startsWith("Demo passed in "), Duration.ofSeconds(120));
            assertThat(demo.stdout()).anySatisfy(l -> assertThat(l).contains("kcat -L -b 127.0.9.1:9092"));
            assertThat(demo.stdout()).anySatisfy(l -> assertThat(l).contains("curl -s http://127.0.9.1:9644/status"));
            double seconds = demo.terminate(Duration.ofSeconds(30));
            assertThat(seconds).as("stop time (s)").isLessThan(20.0);
        }
        assertEverythingFree();
    }

    @Test
    void killedInTheMiddleLeavesNoPortBehind() throws Exception {
        try (CliProcess demo = CliProcess.start("demo", "--dir", "target/demo-it/killed")) {
            demo.awaitLine(l -> l.startsWith("[5/7]"), Duration.ofSeconds(120));
            demo.kill();
        }
        assertEverythingFree();
    }

    @Test
    void aFailingStepStopsWithTheReasonAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.9.1", 9094));
            CliProcess demo = CliProcess.run(Duration.ofSeconds(120), "demo", "--dir", "target/demo-it/failing");
            assertThat(demo.exitCode()).isEqualTo(1);
            assertThat(demo.stdout()).anySatisfy(l -> assertThat(l)
                    .startsWith("[4/7] FAILED: ").contains("127.0.9.1").contains("9094"));
        }
        assertEverythingFree();
    }

    private static void assertEverythingFree() throws Exception {
        for (String address : BOUND) {
            String[] hostPort = address.split(":");
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            } catch (java.io.IOException e) {
                throw new AssertionError(address + " is still bound after the demo ended", e);
            }
        }
    }
}
