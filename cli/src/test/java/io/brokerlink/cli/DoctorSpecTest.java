package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code brokerlink doctor lint --spec}: the configs {@code plan} writes for examples/aws.yaml are clean against the
 * same spec; one-mistake copies are found with their code and line; spec and usage errors exit as {@code plan} does.
 */
class DoctorSpecTest {

    private static final Path AWS = Path.of("..", "examples", "aws.yaml").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private List<Path> files;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void plan() {
        Run plan = run("plan", AWS.toString(), "-o", dir.resolve("plan").toString());
        assertThat(plan.code()).as(plan.err()).isZero();
        files = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            files.add(dir.resolve("plan/brokers/" + node + "/server.properties"));
        }
    }

    private Run lint(String... extra) {
        List<String> args = new ArrayList<>(List.of("doctor", "lint", "--spec", AWS.toString()));
        args.addAll(List.of(extra));
        files.forEach(f -> args.add(f.toString()));
        return run(args.toArray(String[]::new));
    }

    /** Replaces {@code from} by {@code to} in node 2's file and returns the line it is on. */
    private int mistakeInNode2(String from, String to) throws Exception {
        Path f = files.get(1);
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(from)) {
                lines.set(i, lines.get(i).replace(from, to));
                Files.write(f, lines);
                return i + 1;
            }
        }
        throw new AssertionError(from + " not in " + f);
    }

    @Test
    void planOutputIsCleanAgainstItsSpec() {
        Run clean = lint();
        assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).isEqualTo("3 files: OK\n");
        Run json = lint("--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"ok\" : true");
    }

    @Test
    void brokerAdvertisingAnotherPortThanThePlanIsFoundOnItsLine() throws Exception {
        int line = mistakeInNode2("abc.us-west-2.aws.plc.example.com:9094", "abc.us-west-2.aws.plc.example.com:9099");
        Run found = lint();
        assertThat(found.code()).as(found.out()).isEqualTo(1);
        assertThat(found.out()).contains(files.get(1) + ":" + line + ": error BL133: ")
                .contains("advertised port 9099 is not the port 9094 the spec's port plan gives b2 in EXTERNAL")
                .contains("1 error");
        // without the spec the same file is consistent with itself: only the plan knows 9094
        Run withoutSpec = run("doctor", "lint", files.get(0).toString(), files.get(1).toString(),
                files.get(2).toString());
        assertThat(withoutSpec.out()).doesNotContain("BL133");
    }

    @Test
    void azLabelContradictingTheSpecsZoneIsFoundOnItsLine() throws Exception {
        int line = mistakeInNode2("b2.usw2-az2.xyz", "b2.usw2-az3.xyz");
        Run found = lint();
        assertThat(found.code()).as(found.out()).isEqualTo(1);
        assertThat(found.out()).contains(files.get(1) + ":" + line + ": error BL112: ")
                .contains("AZ label usw2-az3 is not this broker's zone usw2-az2 (from the spec)")
                .contains("use b2.usw2-az2.xyz.us-west-2.aws.plc.example.com:9194")
                .contains("1 error");
    }

    @Test
    void aNodeOfTheSpecWithoutAFileIsAWarningAndAFileTheSpecLacksAnError() throws Exception {
        files.remove(2);
        Run subset = lint();
        assertThat(subset.code()).as(subset.out()).isZero();
        assertThat(subset.out()).contains("node 3: warning BL151: node 3 is in the spec but none of the files linted "
                + "has node.id=3");

        List<String> node2 = Files.readAllLines(files.get(1));
        int line = node2.indexOf("node.id=2") + 1; // the header comment mentions node.id=2 too
        node2.set(line - 1, "node.id=7");
        Files.write(files.get(1), node2);
        Run unknown = lint();
        assertThat(unknown.code()).as(unknown.out()).isEqualTo(1);
        assertThat(unknown.out()).contains(files.get(1) + ":" + line + ": error BL152: node.id=7 is not a node of the "
                + "spec, which lists nodes [1, 2, 3]").contains("node 2: warning BL151");
    }

    @Test
    void specErrorsExitLikePlanAndConflictingOptionsAreUsageErrors() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(AWS).replace("zone: usw2-az2", "zone: usw2-az4"));
        Run invalid = run("doctor", "lint", "--spec", bad.toString(), files.get(0).toString());
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err()).startsWith(bad + ":").contains("brokers[1].zone").contains("usw2-az4");
        assertThat(invalid.out()).isEmpty();

        Run both = lint("--bootstrap-port", "9092");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--spec").contains("--bootstrap-port");

        Run unreadable = run("doctor", "lint", "--spec", dir.resolve("none.yaml").toString(), files.get(0).toString());
        assertThat(unreadable.code()).isEqualTo(2);
        assertThat(unreadable.err()).contains("none.yaml");

        Run noGroup = run("doctor", "check", "--bootstrap", "127.0.80.1:9092", "--spec", AWS.toString(),
                "--group", "EXTERNAL9");
        assertThat(noGroup.code()).isEqualTo(2);
        assertThat(noGroup.err()).contains("--group EXTERNAL9").contains("EXTERNAL, EXTERNAL2");

        Run groupWithoutSpec = run("doctor", "check", "--bootstrap", "127.0.80.1:9092", "--group", "EXTERNAL2");
        assertThat(groupWithoutSpec.code()).isEqualTo(2);
        assertThat(groupWithoutSpec.err()).contains("--group");
    }
}
