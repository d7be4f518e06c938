package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brokerlink sandbox} as a user runs it: the seeds' ports on 127.0.1.1..3, stopped with a signal. */
class SandboxCommandIT {

    private static final List<Integer> SEED_PORTS = List.of(9092, 29092, 39092);

    @Test
    void printsTheLayoutAndReadyThenStopsCleanlyOnSigterm() throws Exception {
        try (CliProcess sandbox = CliProcess.start("sandbox")) {
            String ready = sandbox.awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
            assertThat(ready).isEqualTo("READY internal=127.0.1.1:9092,127.0.1.2:9092,127.0.1.3:9092 "
                    + "external=127.0.1.1:39092,127.0.1.2:39092,127.0.1.3:39092");
            assertThat(sandbox.stdout()).anySatisfy(l -> assertThat(l).matches(
                    "2\\s+usw2-az2\\s+127\\.0\\.1\\.2:9092\\s+127\\.0\\.1\\.2:39092\\s+"
                            + "b2\\.usw2-az2\\.abc\\.us-west-2\\.aws\\.plc\\.example\\.com:9094\\s+127\\.0\\.1\\.2:29092"));

            String kcat = kcat("-L", "-b", "127.0.1.1:9092", "-m", "10");
            assertThat(kcat).contains(" 3 brokers:").contains("broker 3 at 127.0.1.3:9092");
            String external = kcat("-L", "-b", "127.0.1.2:39092", "-m", "10");
            assertThat(external).contains("broker 1 at b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093")
                    .contains("broker 2 at b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094")
                    .contains("broker 3 at b3.usw2-az3.abc.us-west-2.aws.plc.example.com:9095");

            double seconds = sandbox.terminate(Duration.ofSeconds(20));
            assertThat(seconds).as("shutdown time in seconds").isLessThan(15.0);
            assertThat(sandbox.stderr()).as("exit code %d, %.1f s", sandbox.exitCode(), seconds)
                    .contains("stopped; data directory removed");
        }
        assertSeedPortsFree();
    }

    @Test
    void moreThanNineBrokersIsAUsageError() throws Exception {
        assertUsageError(CliProcess.run(Duration.ofSeconds(30), "sandbox", "--brokers", "12"),
                "brokerlink sandbox: --brokers: 12 is not between 1 and 9");
    }

    @Test
    void anUnparsableOptionValueIsAUsageError() throws Exception {
        CliProcess p = CliProcess.run(Duration.ofSeconds(30), "sandbox", "--advertised-port-base", "ninety");
        assertUsageError(p, "brokerlink sandbox: Invalid value for option '--advertised-port-base': 'ninety' is not an int");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        CliProcess p = CliProcess.run(Duration.ofSeconds(30), "sandbox", "--nodes", "3");
        assertUsageError(p, "brokerlink sandbox: Unknown options: '--nodes', '3'");
    }

    @Test
    void aPatternWithoutBrokerIdOrPortIsAUsageError() throws Exception {
        CliProcess noId = CliProcess.run(Duration.ofSeconds(30), "sandbox", "--pattern", "kafka.example.com:<port>");
        assertUsageError(noId, "brokerlink sandbox: --pattern: pattern \"kafka.example.com:<port>\" has no <broker_id>");
        CliProcess noPort = CliProcess.run(Duration.ofSeconds(30), "sandbox", "--pattern", "<broker_id>.example.com:9093");
        assertUsageError(noPort, "brokerlink sandbox: --pattern: pattern \"<broker_id>.example.com:9093\" must end with :<port>");
    }

    @Test
    void aPortInUseIsAUsageErrorAndNothingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.1.2", 29092));
            CliProcess p = CliProcess.run(Duration.ofSeconds(30), "sandbox");
            assertUsageError(p, "brokerlink sandbox: --controller-port: 127.0.1.2:29092 is not free");
        }
        assertSeedPortsFree();
    }

    @Test
    void anUnwritableDataDirectoryIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        CliProcess p = CliProcess.run(Duration.ofSeconds(30), "sandbox", "--data-dir", file.toString());
        assertUsageError(p, "brokerlink sandbox: --data-dir: cannot create " + file);
        assertSeedPortsFree();
    }

    private static void assertUsageError(CliProcess p, String firstWords) {
        assertThat(p.exitCode()).as("exit code; stderr=" + p.stderr()).isEqualTo(2);
        assertThat(p.stderr()).as("exactly one line on stderr").hasSize(1);
        assertThat(p.stderr().get(0)).startsWith(firstWords);
        assertThat(p.stdout()).isEmpty();
    }

    private static void assertSeedPortsFree() throws Exception {
        for (int node = 1; node <= 3; node++) {
            for (int port : SEED_PORTS) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress("127.0.1." + node, port));
                }
            }
        }
    }

    private static String kcat(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "kcat";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
