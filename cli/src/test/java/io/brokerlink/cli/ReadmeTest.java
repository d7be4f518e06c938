package io.brokerlink.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the README true: its quickstart is what CI runs, every {@code ./brokerlink} command it shows parses with the
 * options the program has today, and its picture is what {@code plan} draws. (The commands themselves run in the
 * demo and in each command's own tests.)
 */
class ReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void quickstartIsTheDemoAndTheTestCommandThatCiRuns() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher quickstart = Pattern.compile("## Quickstart\\s+```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(quickstart.find()).isTrue();
        List<String> commands = quickstart.group(1).lines().map(l -> l.replaceAll("\\s+#.*", "").trim()).toList();
        assertThat(commands).containsExactly("./brokerlink demo", "mvn -B verify");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("\nmvn -B verify\n");
    }

    @Test
    void everyBrokerlinkCommandInTheReadmeParses() throws Exception {
        List<List<String>> commands = brokerlinkCommands(Files.readString(ROOT.resolve("README.md")));
        assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
        for (List<String> args : commands) {
            assertThatCode(() -> Main.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("./brokerlink %s", String.join(" ", args)).doesNotThrowAnyException();
        }
    }

    @Test
    void thePictureIsWhatPlanDrawsForTheAwsExample(@TempDir Path out) throws Exception {
        StringWriter log = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(log));
        cli.setErr(new PrintWriter(log));
        int exit = cli.execute("plan", ROOT.resolve("examples/aws.yaml").toString(), "-o", out.resolve("p").toString());
        assertThat(exit).as(log.toString()).isZero();
        assertThat(Files.readString(ROOT.resolve("docs/topology.svg")))
                .as("docs/topology.svg is stale: copy plan's topology.svg for examples/aws.yaml there")
                .isEqualTo(Files.readString(out.resolve("p/topology.svg")));
    }

    @Test
    void theShownPlanAndLintOutputsAreWhatTheCommandsPrintToday(@TempDir Path work) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Path plan = work.resolve("plan-aws");
        String checkLine = run(0, "plan", ROOT.resolve("examples/aws.yaml").toString(), "--check").strip();
        assertThat(readme).contains(checkLine.replace(ROOT.resolve("examples/aws.yaml").toString(), "examples/aws.yaml"));
        run(0, "plan", ROOT.resolve("examples/aws.yaml").toString(), "-o", plan.toString());

        Matcher shown = Pattern.compile("\\$ cat plan-aws/brokers/2/server.properties\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(shown.find()).isTrue();
        List<String> generated = Files.readAllLines(plan.resolve("brokers/2/server.properties")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(shown.group(1).lines().toList()).isEqualTo(generated);

        List<String> lint = new ArrayList<>(List.of("doctor", "lint", "--spec",
                ROOT.resolve("examples/aws.yaml").toString()));
        for (int node = 1; node <= 3; node++) {
            lint.add(plan.resolve("brokers/" + node + "/server.properties").toString());
        }
        assertThat(run(0, lint.toArray(String[]::new))).contains("OK");
    }

    private static String run(int expectedExit, String... args) {
        StringWriter log = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(log, true));
        cli.setErr(new PrintWriter(log, true));
        assertThat(cli.execute(args)).as("brokerlink %s: %s", String.join(" ", args), log).isEqualTo(expectedExit);
        return log.toString();
    }

    /** Lines in code blocks that run ./brokerlink, with backslash continuations joined and shell quoting undone. */
    static List<List<String>> brokerlinkCommands(String markdown) {
        List<List<String>> out = new ArrayList<>();
        boolean inCode = false;
        StringBuilder pending = null;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            String text = line.strip();
            if (pending == null) {
                if (text.startsWith("$ ")) {
                    text = text.substring(2);
                }
                if (!text.startsWith("./brokerlink ")) {
                    continue;
                }
                pending = new StringBuilder(text.substring("./brokerlink ".length()));
            } else {
                pending.append(' ').append(text);
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            out.add(shellWords(pending.toString().replaceAll("\\s+#.*$", "")));
            pending = null;
        }
        return out;
    }

    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return words;
    }
}
