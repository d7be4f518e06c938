package io.brokerlink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HCL parser: the npm package {@code @cdktf/hcl2json} (HashiCorp's HCL library compiled to WebAssembly),
 * installed into {@code target/hcl2json} on first use and run with node.
 */
final class Hcl2Json {

    private static final Path HOME = Path.of("target", "hcl2json").toAbsolutePath();
    private static final String SCRIPT = """
            const {parse} = require(process.argv[2] + '/node_modules/@cdktf/hcl2json');
            const fs = require('fs');
            (async () => {
              const out = {};
              for (const f of process.argv.slice(3)) {
                out[f] = await parse(f, fs.readFileSync(f, 'utf8'));
              }
              process.stdout.write(JSON.stringify(out));
            })().catch(e => { process.stderr.write(String(e.message || e)); process.exit(1); });
            """;

    private Hcl2Json() {
    }

    static synchronized void install() throws IOException, InterruptedException {
        if (Files.isDirectory(HOME.resolve("node_modules/@cdktf/hcl2json"))) {
            return;
        }
        Files.createDirectories(HOME);
        run(List.of("npm", "install", "--prefix", HOME.toString(), "--no-audit", "--no-fund", "@cdktf/hcl2json"));
    }

    /** Parses every file; a syntax error fails the calling test with the parser's message. */
    static JsonNode parse(List<Path> files) throws IOException, InterruptedException {
        install();
        Path script = HOME.resolve("parse.js");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("node", script.toString(), HOME.toString()));
        files.forEach(f -> command.add(f.toAbsolutePath().toString()));
        return new ObjectMapper().readTree(run(command));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("hcl2json", ".err");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        String err = Files.readString(log);
        Files.delete(log);
        assertThat(p.exitValue()).as("%s failed: %s", String.join(" ", command.subList(0, 2)), err).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
