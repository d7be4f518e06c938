package io.brokerlink.doctor.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.doctor.Code;
import io.brokerlink.doctor.Finding;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference scenario's three broker configs (src/test/resources/lint/reference, written by hand from
 * docs/ARCHITECTURE.md) lint clean; each copy with one mistake yields exactly that mistake's code on its line.
 */
class LintTest {

    @TempDir
    Path dir;

    private List<Path> reference() throws IOException, URISyntaxException {
        Path src = Path.of(Objects.requireNonNull(getClass().getResource("/lint/reference/broker-1.properties")).toURI())
                .getParent();
        for (int i = 1; i <= 3; i++) {
            Files.copy(src.resolve("broker-" + i + ".properties"), dir.resolve("broker-" + i + ".properties"));
        }
        return List.of(dir.resolve("broker-1.properties"), dir.resolve("broker-2.properties"),
                dir.resolve("broker-3.properties"));
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("fixture %s contains %s", file, from).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    private static LintReport lint(List<Path> files) {
        return LintReport.lint(files, LintOptions.none());
    }

    private static void assertSingle(LintReport report, Code code, Path file, int line, String... words) {
        assertThat(report.findings()).as(report.toHuman()).hasSize(1);
        Finding f = report.findings().get(0);
        assertThat(f.code()).as(report.toHuman()).isEqualTo(code);
        assertThat(f.file()).isEqualTo(file.toString());
        assertThat(f.line()).as(report.toHuman()).isEqualTo(line);
        assertThat(f.message()).contains(words);
        assertThat(report.ok()).isFalse();
    }

    @Test
    void referenceScenarioIsClean() throws Exception {
        LintReport report = lint(reference());
        assertThat(report.findings()).as(report.toHuman()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.toHuman()).endsWith("3 files: OK\n");
    }

    @Test
    void referenceScenarioIsCleanAgainstTheGivenPattern() throws Exception {
        LintReport report = LintReport.lint(reference(), new LintOptions(
                Map.of("EXTERNAL", HostPattern.of(AdvertisedPattern.REFERENCE),
                        "EXTERNAL2", HostPattern.of(new AdvertisedPattern(
                                "<broker_id>.<az_id>.def.us-west-2.aws.plc.example.com:<port>"))),
                Set.of(9092, 9192), Map.of()));
        assertThat(report.findings()).as(report.toHuman()).isEmpty();
    }

    @Test
    void jsonFollowsTheDocumentedSchema() throws Exception {
        List<Path> files = reference();
        var clean = io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(lint(files)));
        assertThat(clean.get("ok").asBoolean()).isTrue();
        edit(files.get(1), "EXTERNAL://b2.usw2-az2", "EXTERNAL://b2.usw2-az1");
        var json = io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(lint(files)));
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("findings").get(0).get("code").asText()).isEqualTo("BL112");
        assertThat(json.get("findings").get(0).get("line").asInt()).isEqualTo(9);
    }

    @Test
    void wrongBrokerLabel() throws Exception {
        List<Path> files = reference();
        edit(files.get(2), "EXTERNAL://b3.usw2-az3", "EXTERNAL://b2.usw2-az3");
        assertSingle(lint(files), Code.BL111, files.get(2), 9, "b2", "node.id is 3",
                "b3.usw2-az3.abc.us-west-2.aws.plc.example.com:9095");
    }

    @Test
    void azLabelOfAnotherZone() throws Exception {
        List<Path> files = reference();
        edit(files.get(1), "EXTERNAL://b2.usw2-az2", "EXTERNAL://b2.usw2-az1");
        assertSingle(lint(files), Code.BL112, files.get(1), 9, "usw2-az1", "usw2-az2",
                "b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094");
    }

    @Test
    void azNameWhereAnAzIdBelongs() throws Exception {
        List<Path> files = reference();
        edit(files.get(0), "EXTERNAL://b1.usw2-az1", "EXTERNAL://b1.us-west-2a");
        assertSingle(lint(files), Code.BL112, files.get(0), 9, "us-west-2a", "looks like an AZ name");
    }

    @Test
    void azLabelOnOneBrokerOnly() throws Exception {
        List<Path> files = reference();
        // The seeds' Alibaba mistake: two brokers without AZ label, one with.
        edit(files.get(1), "EXTERNAL://b2.usw2-az2.abc", "EXTERNAL://b2.abc");
        edit(files.get(2), "EXTERNAL://b3.usw2-az3.abc", "EXTERNAL://b3.abc");
        assertSingle(lint(files), Code.BL113, files.get(0), 9, "usw2-az1", "b1.abc.us-west-2.aws.plc.example.com:9093");
    }

    @Test
    void duplicateAdvertisedPort() throws Exception {
        List<Path> files = reference();
        edit(files.get(2), "example.com:9095", "example.com:9094");
        assertSingle(lint(files), Code.BL130, files.get(2), 9, "9094", "b2");
    }

    @Test
    void overlappingExternal2Range() throws Exception {
        List<Path> files = reference();
        for (int i = 0; i < 3; i++) {
            edit(files.get(i), "example.com:" + (9193 + i), "example.com:" + (9094 + i));
        }
        assertSingle(lint(files), Code.BL131, files.get(0), 10, "EXTERNAL2 range 9094-9096",
                "EXTERNAL range 9093-9095");
    }

    @Test
    void bootstrapPortInsideARange() throws Exception {
        LintReport report = LintReport.lint(reference(), new LintOptions(Map.of(), Set.of(9094), Map.of()));
        assertThat(report.codes()).isEqualTo("BL132");
        assertThat(report.findings().get(0).line()).isEqualTo(9);
    }

    @Test
    void externalMissingFromProtocolMap() throws Exception {
        List<Path> files = reference();
        edit(files.get(1), "EXTERNAL:PLAINTEXT,", "");
        assertSingle(lint(files), Code.BL103, files.get(1), 12, "EXTERNAL", "listener.security.protocol.map");
    }

    @Test
    void unreplacedPlaceholder() throws Exception {
        List<Path> files = reference();
        edit(files.get(2), "example.com:9095", "example.com:<port>");
        assertSingle(lint(files), Code.BL120, files.get(2), 9, "<port>");
    }

    @Test
    void seedPlaceholdersAreFound() throws Exception {
        List<Path> files = reference();
        edit(files.get(0), "1@10.0.1.11", "1@{broker-node1-ip}");
        edit(files.get(1), "1@10.0.1.11", "1@{broker-node1-ip}");
        edit(files.get(2), "1@10.0.1.11", "1@{broker-node1-ip}");
        edit(files.get(0), ".abc.us-west-2", ".unique_name.us-west-2");
        LintReport report = lint(files);
        assertThat(report.codes()).as(report.toHuman()).isEqualTo("BL120,BL120,BL120,BL120");
        assertThat(report.findings().get(1).line()).isEqualTo(9);
        assertThat(report.findings().get(1).message()).contains("unique_name");
    }

    @Test
    void mismatchedQuorumVoters() throws Exception {
        List<Path> files = reference();
        edit(files.get(1), "3@10.0.3.13:29092", "3@10.0.3.31:29092");
        assertSingle(lint(files), Code.BL140, files.get(1), 5, "10.0.3.31", "10.0.3.13");
    }

    @Test
    void votersMissingAController() throws Exception {
        List<Path> files = reference();
        for (Path f : files) {
            edit(f, ",3@10.0.3.13:29092", "");
        }
        assertSingle(lint(files), Code.BL141, files.get(2), 5, "node.id=3");
    }

    @Test
    void duplicateNodeId() throws Exception {
        List<Path> files = reference();
        edit(files.get(2), "node.id=3", "node.id=2");
        LintReport report = lint(files);
        // the copy also advertises b3 under node.id 2: both are reported
        assertThat(report.codes()).as(report.toHuman()).isEqualTo("BL150,BL111,BL111");
        assertThat(report.findings().get(0).line()).isEqualTo(3);
    }

    @Test
    void missingListenerGroupOnOneBroker() throws Exception {
        List<Path> files = reference();
        edit(files.get(0), ",EXTERNAL2://0.0.0.0:39192", "");
        LintReport report = lint(files);
        assertThat(report.codes()).as(report.toHuman()).isEqualTo("BL101");
        assertThat(report.findings().get(0).line()).isEqualTo(6);
    }

    @Test
    void interBrokerListenerOnTheEndpoint() throws Exception {
        List<Path> files = reference();
        edit(files.get(0), "inter.broker.listener.name=INTERNAL", "inter.broker.listener.name=EXTERNAL");
        LintReport report = lint(files);
        assertThat(report.findings()).as(report.toHuman()).anySatisfy(f -> {
            assertThat(f.code()).isEqualTo(Code.BL104);
            assertThat(f.line()).isEqualTo(7);
        });
    }

    @Test
    void propertiesParserKeepsLinesThroughContinuationsAndEscapes() {
        PropertiesFile p = PropertiesFile.parse("x", "# c\n! c\n\na = 1\nb:2\nc 3\nlong=x,\\\n  y,\\\n  z\nd=\\u0041\n");
        assertThat(p.get("a").orElseThrow().line()).isEqualTo(4);
        assertThat(p.get("b").orElseThrow().value()).isEqualTo("2");
        assertThat(p.get("c").orElseThrow().value()).isEqualTo("3");
        assertThat(p.get("long").orElseThrow().value()).isEqualTo("x,y,z");
        assertThat(p.get("long").orElseThrow().lineOf("z")).isEqualTo(9);
        assertThat(p.get("d").orElseThrow().value()).isEqualTo("A");
    }
}
