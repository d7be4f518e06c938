package io.brokerlink.doctor.lint;

import io.brokerlink.doctor.Finding;
import io.brokerlink.doctor.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@code doctor lint}: the files read and what was found. Serialised as-is for {@code --json}
 * (schema: docs/doctor-schema.json, {@code command = "lint"}).
 */
public record LintReport(String command, boolean ok, List<String> files, List<Finding> findings) {

    public LintReport {
        files = List.copyOf(files);
        findings = List.copyOf(findings);
    }

    /** Reads and lints the files. A file that cannot be read is a usage error ({@link IllegalArgumentException}). */
    public static LintReport lint(List<Path> files, LintOptions options) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("FILE: no server.properties given; name one or more broker configs");
        }
        List<BrokerConfig> brokers = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("FILE: " + f + " is not a readable file; name a broker's"
                        + " server.properties");
            }
            try {
                brokers.add(BrokerConfig.of(PropertiesFile.read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("FILE: cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        List<Finding> findings = Linter.lint(brokers, options);
        boolean ok = findings.stream().noneMatch(x -> x.severity() == Severity.ERROR);
        return new LintReport("lint", ok, files.stream().map(Path::toString).toList(), findings);
    }

    public String toHuman() {
        StringBuilder out = new StringBuilder();
        for (Finding f : findings) {
            out.append(f.toHumanLine()).append('\n');
        }
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        long warnings = findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
        out.append(files.size()).append(files.size() == 1 ? " file" : " files").append(": ")
                .append(ok ? "OK" : errors + (errors == 1 ? " error" : " errors"))
                .append(warnings > 0 ? ", " + warnings + (warnings == 1 ? " warning" : " warnings") : "")
                .append('\n');
        return out.toString();
    }

    /** Codes found, in order: handy in tests and scripts. */
    public String codes() {
        return findings.stream().map(f -> f.code().name()).collect(Collectors.joining(","));
    }
}
