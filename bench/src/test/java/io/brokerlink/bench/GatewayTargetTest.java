package io.brokerlink.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTargetTest {

    @Test
    void yamlTargetWithJvmOptions() {
        GatewayTarget t = GatewayTarget.parse("portmap-nio = yaml -Dbrokerlink.transport=nio -Xmx256m portmap.yaml",
                "targets.conf:3");
        assertThat(t.name()).isEqualTo("portmap-nio");
        assertThat(t.kind()).isEqualTo(GatewayTarget.Kind.YAML);
        assertThat(t.jvmOptions()).containsExactly("-Dbrokerlink.transport=nio", "-Xmx256m");
        assertThat(t.arguments()).containsExactly("portmap.yaml");
    }

    @Test
    void cliTargetKeepsQuotedWordsWholeAndDoubleDashFlagsAsArguments() {
        GatewayTarget t = GatewayTarget.parse("kp = cli gateway server --bootstrap-server-mapping "
                + "\"${broker.1.internal},${listen.address}:${listen.port.1}\" --http-listen-address 127.0.0.1:0",
                "targets.conf:4");
        assertThat(t.jvmOptions()).isEmpty();
        assertThat(t.arguments()).isEqualTo(List.of("gateway", "server", "--bootstrap-server-mapping",
                "${broker.1.internal},${listen.address}:${listen.port.1}", "--http-listen-address", "127.0.0.1:0"));
    }

    @Test
    void badLinesNameTheLineAndWhatIsValid() {
        assertThatThrownBy(() -> GatewayTarget.parse("portmap yaml portmap.yaml", "targets.conf:7"))
                .hasMessageStartingWith("targets.conf:7: ").hasMessageContaining("NAME = yaml FILE");
        assertThatThrownBy(() -> GatewayTarget.parse("p = toml p.toml", "targets.conf:8"))
                .hasMessageContaining("\"toml\" is not a target kind; use yaml or cli");
        assertThatThrownBy(() -> GatewayTarget.parse("direct = yaml p.yaml", "targets.conf:9"))
                .hasMessageContaining("baseline");
        assertThatThrownBy(() -> GatewayTarget.parse("p = yaml a.yaml b.yaml", "targets.conf:10"))
                .hasMessageContaining("yaml takes one file name");
        assertThatThrownBy(() -> GatewayTarget.parse("p = cli \"gateway", "targets.conf:11"))
                .hasMessageContaining("double quote is not closed");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(Results.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Results.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Results.median(List.of())).isNaN();
    }

    @Test
    void gatewayAddressesFollowTheFirstAddress() {
        assertThat(BenchMain.offset("127.0.50.1", 9)).isEqualTo("127.0.50.10");
        assertThat(BenchMain.offset("127.0.50.250", 9)).isEqualTo("127.0.51.3");
        assertThatThrownBy(() -> BenchMain.offset("10.0.0.1", 1)).hasMessageContaining("not a loopback");
    }

    /**
     * The shipped targets file passes; a second portmap-mode target (whose clients would reach the brokers through
     * the target named portmap) is refused before anything starts, naming the file, the target and the way out.
     */
    @Test
    void onlyTheTargetNamedPortmapMayRunPortmapMode(@TempDir Path dir) throws Exception {
        Path shipped = Path.of("targets.conf").toAbsolutePath(); // tests run in the bench module's directory
        assertThat(shipped).isReadable();
        List<GatewayTarget> targets = Files.readAllLines(shipped).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> GatewayTarget.parse(l, "targets.conf"))
                .toList();
        BenchMain.refuseUnreachablePortmapTargets(shipped, targets);

        Files.writeString(dir.resolve("portmap.yaml"), "# a portmap gateway\nmode: portmap\nadmin-bind: 127.0.0.1:0\n");
        Files.writeString(dir.resolve("rewrite.yaml"), "mode: rewrite\n# not mode: portmap\n");
        Path file = dir.resolve("ab.conf");
        List<GatewayTarget> ab = List.of(GatewayTarget.parse("portmap = yaml portmap.yaml", "ab.conf:1"),
                GatewayTarget.parse("rewrite = yaml rewrite.yaml", "ab.conf:2"));
        BenchMain.refuseUnreachablePortmapTargets(file, ab);
        List<GatewayTarget> twoPortmaps = List.of(ab.get(0),
                GatewayTarget.parse("portmap-nio = yaml -Dbrokerlink.transport=nio portmap.yaml", "ab.conf:3"));
        assertThatThrownBy(() -> BenchMain.refuseUnreachablePortmapTargets(file, twoPortmaps))
                .isInstanceOf(BenchException.class)
                .hasMessageStartingWith(file + ": target portmap-nio runs portmap mode (portmap.yaml)")
                .hasMessageContaining("name it portmap (one portmap variant per run)");
    }
}
