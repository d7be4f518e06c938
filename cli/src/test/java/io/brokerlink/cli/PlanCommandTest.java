package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brokerlink plan} in-process: exit codes, byte-identical output, and nothing written on error. */
class PlanCommandTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void plansEveryExampleAndTheSameSpecGivesTheSameBytes() throws Exception {
        for (String example : List.of("aws", "gcp", "alicloud", "generic", "sandbox")) {
            Path spec = EXAMPLES.resolve(example + ".yaml");
            Run first = run("plan", spec.toString(), "-o", dir.resolve(example + "-1").toString());
            Run second = run("plan", spec.toString(), "-o", dir.resolve(example + "-2").toString());
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(second.code()).isZero();
            assertThat(first.out()).startsWith("wrote ");
            Map<String, String> a = tree(dir.resolve(example + "-1"));
            assertThat(a).containsKeys("PLAN.md", "CONNECT.md", "portmap.md", "portmap.json", "gateway.yaml",
                    "topology.svg", "brokers/1/server.properties");
            assertThat(a.keySet().stream().anyMatch(k -> k.startsWith("terraform/")))
                    .isEqualTo(!example.equals("generic") && !example.equals("sandbox"));
            assertThat(tree(dir.resolve(example + "-2"))).isEqualTo(a);
            // The gateway's own reader accepts the generated gateway.yaml.
            assertThat(io.brokerlink.gateway.GatewayConfigLoader.load(dir.resolve(example + "-1/gateway.yaml")))
                    .as(example).isNotNull();
        }
        // Planning into the same directory again replaces it with identical content.
        Path out = dir.resolve("aws-1");
        Map<String, String> before = tree(out);
        assertThat(run("plan", EXAMPLES.resolve("aws.yaml").toString(), "-o", out.toString()).code()).isZero();
        assertThat(tree(out)).isEqualTo(before);
    }

    @Test
    void checkValidatesAndWritesNothing() {
        Run r = run("plan", EXAMPLES.resolve("aws.yaml").toString(), "--check");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("valid; aws, 3 nodes, EXTERNAL 9093-9095 bootstrap 9092, EXTERNAL2 9193-9195"
                + " bootstrap 9192");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void tenKindsOfInvalidSpecEachGiveTheirOwnErrorAndLeaveTheOutputUntouched() throws Exception {
        String valid = Files.readString(EXAMPLES.resolve("aws.yaml"));
        Path out = dir.resolve("plan");
        assertThat(run("plan", EXAMPLES.resolve("aws.yaml").toString(), "-o", out.toString()).code()).isZero();
        Map<String, String> before = tree(out);
        String[][] edits = {
            {"zone: usw2-az2", "zone: usw2-az4", "brokers[1].zone: \"usw2-az4\" is not one of the zones"},
            {"node-id: 3", "node-id: 2", "brokers[2].node-id: node id 2 is already used by brokers[1]"},
            {"\"<broker_id>.<az_id>.abc", "\"<az_id>.abc", "groups[0].pattern: pattern"},
            {"plc.example.com:<port>\"\n    bind-port: 39092", "plc.example.com\"\n    bind-port: 39092",
                "must end with :<port>"},
            {"<broker_id>.<az_id>.abc", "<broker_id>.usw2-az3.abc", "brokers[0].zone: broker 1 is in usw2-az1"},
            {"advertised-port-start: 9193", "advertised-port-start: 9095", "overlaps range 9093-9095"},
            {"bootstrap-port: 9192", "bootstrap-port: 9094", "contains the bootstrap port 9094"},
            {"advertised-port-start: 9093", "advertised-port-start: 29091", "contains the CONTROLLER port 29092"},
            {"bind-port: 39192", "bind-port: 0", "groups[1].bind-port: 0 is not a TCP port (1-65535)"},
            {"cloud: aws", "cloud: generic\nterraform: true", "terraform: the generic cloud has no load balancer"},
            {"bind-port: 39092", "bind-port: 39092\n    bindport: 1", "groups[0].bindport: unknown key"},
            {"consumer: \"arn:aws:iam::123456789012:root\"", "consumer: \"me\"", "is not an AWS principal ARN"},
        };
        Set<String> messages = new HashSet<>();
        for (String[] edit : edits) {
            assertThat(valid).contains(edit[0]);
            Path spec = dir.resolve("spec.yaml");
            Files.writeString(spec, valid.replace(edit[0], edit[1]));
            Run r = run("plan", spec.toString(), "-o", out.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith(spec + ":").contains(edit[2]);
            assertThat(r.err().strip()).doesNotContain("\n");
            assertThat(r.out()).isEmpty();
            assertThat(messages.add(r.err())).isTrue();
            assertThat(tree(out)).isEqualTo(before);
        }
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("plan", "spec.yaml");
    }

    @Test
    void usageErrorsExitWithTwo() {
        Run noOutput = run("plan", EXAMPLES.resolve("aws.yaml").toString());
        assertThat(noOutput.code()).isEqualTo(2);
        assertThat(noOutput.err()).contains("-o/--output: missing");
        Run unknownSetting = run("plan", EXAMPLES.resolve("aws.yaml").toString(), "--check", "--set", "colour=blue");
        assertThat(unknownSetting.code()).isEqualTo(2);
        assertThat(unknownSetting.err()).contains("--set colour: unknown setting; known: unique-name");
        Run missing = run("plan", dir.resolve("nope.yaml").toString(), "--check");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("SPEC: cannot read").contains("nope.yaml");
        assertThat(run("plan", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void occupiedOutputDirectoryIsNotReplaced() throws Exception {
        Path out = dir.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Run r = run("plan", EXAMPLES.resolve("aws.yaml").toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("refusing to replace it");
        assertThat(tree(out)).isEqualTo(Map.of("notes.txt", "keep me"));
    }

    @Test
    void alibabaSecondRound() throws Exception {
        Path out = dir.resolve("round2");
        Run r = run("plan", EXAMPLES.resolve("alicloud.yaml").toString(), "--set", "unique-name=k7x2p9", "-o",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("brokers/2/unique-name-round.properties")))
                .contains("EXTERNAL://b2.k7x2p9.alicloud.plc.example.com:9094");
        Run bad = run("plan", EXAMPLES.resolve("alicloud.yaml").toString(), "--set", "unique-name=K7-x", "--check");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo(
                "--set unique-name: \"K7-x\" must be 1-63 lower-case letters and digits, e.g. abc123");
    }

    @Test
    void existingClusterMergesCurrentFiles() throws Exception {
        Path spec = dir.resolve("existing.yaml");
        Files.writeString(spec, Files.readString(EXAMPLES.resolve("generic.yaml")).replace("cluster: new",
                "cluster: existing"));
        Path current = dir.resolve("node1.properties");
        Files.writeString(current, "node.id=1\nlisteners=INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092\n"
                + "advertised.listeners=INTERNAL://10.0.1.11:9092\ncontroller.listener.names=CONTROLLER\n");
        Path out = dir.resolve("out");
        Run r = run("plan", spec.toString(), "--current", "1=" + current, "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String merged = Files.readString(out.resolve("brokers/1/server.properties"));
        assertThat(merged).startsWith("node.id=1\n").contains(
                "listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,"
                        + "EXTERNAL2:PLAINTEXT");
        assertThat(out.resolve("ROLLING-RESTART.md")).exists();
        Run wrong = run("plan", spec.toString(), "--current", "2=" + current, "--check");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("node.id: 1 but the file was given as --current 2=");
    }
}
