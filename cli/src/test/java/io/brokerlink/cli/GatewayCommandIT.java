package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brokerlink gateway} as a real process: READY line, admin endpoint, forwarding, SIGTERM, config errors. */
class GatewayCommandIT {

    private static final String GATEWAY = "127.0.20.71";

    @Test
    void runsAPortmapConfigPrintsReadyForwardsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        try (ServerSocket broker = new ServerSocket()) {
            broker.bind(new InetSocketAddress("127.0.20.70", 0));
            Thread greeter = new Thread(() -> {
                while (!broker.isClosed()) {
                    try (Socket s = broker.accept()) {
                        s.getOutputStream().write("hello from the broker\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            greeter.setDaemon(true);
            greeter.start();
            int port = freePort();
            Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                    mode: portmap
                    bind-address: 0.0.0.0
                    health-check: {interval-ms: 200, timeout-ms: 200}
                    groups:
                      - name: EXTERNAL
                        brokers:
                          - node-id: 1
                            listen-port: %d
                            target: 127.0.20.70:%d
                            advertised: b1.usw2-az1.abc.us-west-2.aws.plc.example.com:%d
                    """.formatted(port, broker.getLocalPort(), port));

            try (CliProcess gateway = CliProcess.start("gateway", "--config", config.toString(),
                    "--bind-address", GATEWAY, "--admin-bind", "127.0.0.1:0")) {
                String ready = gateway.awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(30));
                assertThat(ready).matches("READY " + GATEWAY.replace(".", "\\.") + ":" + port
                        + " admin=127\\.0\\.0\\.1:\\d+");
                int adminPort = Integer.parseInt(ready.substring(ready.lastIndexOf(':') + 1));

                assertThat(awaitReadyz(adminPort)).isEqualTo(200);
                try (Socket client = new Socket(GATEWAY, port)) {
                    InputStream in = client.getInputStream();
                    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("hello from the broker\n");
                }

                double seconds = gateway.terminate(Duration.ofSeconds(20));
                assertThat(seconds).isLessThan(15.0);
                assertThat(gateway.stderr()).contains("stopped");
            }
        }
    }

    @Test
    void aConfigErrorIsOneLineWithFileLineAndFieldAndExitCode2(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                mode: portmap
                groups:
                  - name: EXTERNAL
                    brokers:
                      - node-id: 1
                        listen-port: 70000
                        target: 127.0.20.70:39092
                """);
        CliProcess p = CliProcess.run(Duration.ofSeconds(30), "gateway", "--config", config.toString());

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.stderr()).containsExactly("brokerlink gateway: --config: gateway.yaml:6:22"
                + " groups[0].brokers[0].listen-port: 70000 is not a port (1-65535)");
    }

    @Test
    void aMissingConfigFileIsAUsageError(@TempDir Path dir) throws Exception {
        CliProcess p = CliProcess.run(Duration.ofSeconds(30), "gateway", "--config", dir.resolve("none.yaml").toString());

        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.stderr()).singleElement().asString().endsWith("none.yaml: no such file; give the path of a gateway YAML file");
    }

    private static int awaitReadyz(int adminPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int code = 0;
        while (System.nanoTime() < deadline) {
            code = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
            if (code == 200) {
                return code;
            }
            Thread.sleep(100);
        }
        return code;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(GATEWAY, 0));
            return s.getLocalPort();
        }
    }

    /** The seed's kafka-proxy command line, unchanged apart from the program name. */
    @Test
    void runsTheSeedsKafkaProxyCommandLineAndRewritesAddresses() throws Exception {
        try (io.brokerlink.sandbox.SandboxCluster cluster = io.brokerlink.sandbox.SandboxCluster.builder()
                .ephemeralPorts().firstAddress("127.0.8.1").start()) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("gateway", "server"));
            for (io.brokerlink.sandbox.SandboxNode n : cluster.nodes()) {
                args.add("--bootstrap-server-mapping");
                args.add(n.internal() + ",127.0.8.50:" + (19091 + n.nodeId()) + ",b" + n.nodeId()
                        + ".abc.us-west1.gcp.3199745.tidbcloud.com:" + (19091 + n.nodeId()));
            }
            args.add("--dynamic-sequential-min-port=19095");
            args.add("--dynamic-advertised-listener=brokers.abc.us-west1.gcp.3199745.tidbcloud.com");
            args.add("--http-listen-address=127.0.8.50:0");
            try (CliProcess gateway = CliProcess.start(args.toArray(String[]::new))) {
                String ready = gateway.awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
                assertThat(ready).startsWith("READY 127.0.8.50:19092 127.0.8.50:19093 127.0.8.50:19094 admin=");
                Process kcat = new ProcessBuilder("kcat", "-L", "-b", "127.0.8.50:19092", "-m", "10")
                        .redirectErrorStream(true).start();
                String metadata = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(kcat.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(metadata).contains("broker 1 at b1.abc.us-west1.gcp.3199745.tidbcloud.com:19092")
                        .contains("broker 2 at b2.abc.us-west1.gcp.3199745.tidbcloud.com:19093")
                        .contains("broker 3 at b3.abc.us-west1.gcp.3199745.tidbcloud.com:19094")
                        .doesNotContain("127.0.8.1:").doesNotContain("127.0.8.2:").doesNotContain("127.0.8.3:");
                gateway.terminate(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void aKafkaProxyFlagBrokerLinkDoesNotMapIsRefusedWithTheReason() throws Exception {
        CliProcess p = CliProcess.run(Duration.ofSeconds(30), "gateway", "server",
                "--bootstrap-server-mapping", "127.0.8.1:9092,127.0.8.50:9092", "--sasl-enable");
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.stderr()).hasSize(1);
        assertThat(p.stderr().get(0)).startsWith("brokerlink gateway: ").contains("--sasl-enable")
                .contains("SASL exchanges of the clients themselves pass through unchanged");
    }
}
