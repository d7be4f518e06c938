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
                .hasMessageContaining("\"toml\" is not a target kind; use yaml, cli or program");
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

    @Test
    void programTargetNamesItsAddressingTemplateAndCommand() {
        GatewayTarget t = GatewayTarget.parse("haproxy = program portmap haproxy.cfg haproxy -db -f ${config}",
                "targets-haproxy.conf:5");
        assertThat(t.kind()).isEqualTo(GatewayTarget.Kind.PROGRAM);
        assertThat(t.jvmOptions()).isEmpty();
        assertThat(t.addressing()).isEqualTo(GatewayTarget.Addressing.PORTMAP);
        assertThat(t.template()).isEqualTo("haproxy.cfg");
        assertThat(t.command()).containsExactly("haproxy", "-db", "-f", "${config}");

        assertThatThrownBy(() -> GatewayTarget.parse("h = program haproxy.cfg haproxy", "t.conf:1"))
                .isInstanceOf(BenchException.class).hasMessageStartingWith("t.conf:1: target h: write program "
                        + "portmap|rewrite TEMPLATE COMMAND ARGS...");
        assertThatThrownBy(() -> GatewayTarget.parse("h = program -Xmx1g portmap h.cfg haproxy", "t.conf:2"))
                .isInstanceOf(BenchException.class).hasMessageContaining("a program is not a JVM");
        GatewayTarget yaml = GatewayTarget.parse("p = yaml p.yaml", "t.conf:3");
        assertThatThrownBy(yaml::command).isInstanceOf(IllegalStateException.class).hasMessageContaining("not a program");
    }

    /**
     * A target forwards by port (listens on the ports the brokers advertise, its clients follow the endpoint names)
     * when its YAML runs portmap mode or it is a program declared portmap; the shipped targets files parse.
     */
    @Test
    void portmapYamlAndPortmapProgramsForwardByPort(@TempDir Path dir) throws Exception {
        for (String name : List.of("targets.conf", "targets-haproxy.conf")) {
            Path shipped = Path.of(name).toAbsolutePath(); // tests run in the bench module's directory
            assertThat(shipped).isReadable();
            List<GatewayTarget> targets = Files.readAllLines(shipped).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> GatewayTarget.parse(l, name)).toList();
            assertThat(targets).isNotEmpty();
        }

        Files.writeString(dir.resolve("portmap.yaml"), "# a portmap gateway\nmode: portmap\nadmin-bind: 127.0.0.1:0\n");
        Files.writeString(dir.resolve("rewrite.yaml"), "mode: rewrite\n# not mode: portmap\n");
        Path file = dir.resolve("ab.conf");
        assertThat(BenchMain.forwardsByPort(file, GatewayTarget.parse("pm-nio = yaml -Dx=y portmap.yaml", "ab:1")))
                .isTrue();
        assertThat(BenchMain.forwardsByPort(file, GatewayTarget.parse("rw = yaml rewrite.yaml", "ab:2"))).isFalse();
        assertThat(BenchMain.forwardsByPort(file, GatewayTarget.parse("h = program portmap h.cfg haproxy", "ab:3")))
                .isTrue();
        assertThat(BenchMain.forwardsByPort(file, GatewayTarget.parse("k = program rewrite k.cfg kp", "ab:4")))
                .isFalse();
        assertThat(BenchMain.forwardsByPort(file, GatewayTarget.parse("c = cli gateway --config x", "ab:5")))
                .isFalse();
        assertThat(BenchMain.endpointName(2)).isEqualTo("b2.endpoint.bench.brokerlink.test");
    }
}
