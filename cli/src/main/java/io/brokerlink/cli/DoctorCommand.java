package io.brokerlink.cli;

import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.spec.InvalidSpecException;
import io.brokerlink.core.spec.SpecReader;
import io.brokerlink.doctor.JsonReport;
import io.brokerlink.doctor.check.CheckOptions;
import io.brokerlink.doctor.check.CheckReport;
import io.brokerlink.doctor.check.LiveCheck;
import io.brokerlink.doctor.check.PlannedGroup;
import io.brokerlink.doctor.check.ResolveRules;
import io.brokerlink.doctor.lint.HostPattern;
import io.brokerlink.doctor.lint.LintOptions;
import io.brokerlink.doctor.lint.LintReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brokerlink doctor}: {@code lint} broker configs statically, {@code check} the path live from the consumer's
 * side. Exit codes: 0 all well, 1 something is wrong (a finding of severity error), 2 usage error.
 */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Proves a private-link deployment: lint the broker configs, then check the path live.",
        subcommands = {DoctorCommand.Lint.class, DoctorCommand.Check.class})
public final class DoctorCommand implements Runnable {

    /** Exit code when a check found something wrong. */
    public static final int FOUND = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a command is required: lint or check (see brokerlink doctor --help)");
    }

    /** The spec through core's strict reader (the one {@code plan} uses); unreadable is a usage error. */
    static Deployment readSpec(Path file) throws InvalidSpecException {
        String text;
        try {
            text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UsageException("--spec: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return SpecReader.read(file.toString(), text);
    }

    /** An invalid spec is reported as {@code plan} reports it: its one-line file:line message, exit 1. */
    static int invalidSpec(CommandSpec spec, InvalidSpecException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.getMessage());
        err.flush();
        return FOUND;
    }

    static String json(Object report) {
        return JsonReport.write(report);
    }

    /** {@code --pattern P} for every group, or {@code --pattern GROUP=P} for one. */
    static Map<String, HostPattern> patterns(List<String> texts) {
        Map<String, HostPattern> out = new HashMap<>();
        for (String t : texts) {
            int eq = t.indexOf('=');
            String group = eq > 0 && !t.substring(0, eq).contains("<") ? t.substring(0, eq).strip() : LintOptions.ALL_GROUPS;
            String pattern = group.equals(LintOptions.ALL_GROUPS) ? t : t.substring(eq + 1);
            try {
                out.put(group.toUpperCase(java.util.Locale.ROOT).equals("*") ? LintOptions.ALL_GROUPS
                        : group.toUpperCase(java.util.Locale.ROOT), HostPattern.of(new AdvertisedPattern(pattern.strip())));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pattern: " + e.getMessage());
            }
        }
        return out;
    }

    @Command(name = "lint", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Static checks of brokers' server.properties: listeners, advertised names against the",
                "pattern (given or the most common shape), placeholders, ports and ranges across files, quorum voters,",
                "node ids. Each finding: file:line, severity, code (BL1xx), what is wrong and what would be right."})
    static final class Lint implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Broker server.properties files (all brokers).")
        List<Path> files;

        @Option(names = "--pattern", paramLabel = "[GROUP=]PATTERN",
                description = "Advertised pattern, e.g. <broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>;"
                        + " GROUP=PATTERN for one listener group (repeatable). Default: inferred from the files.")
        List<String> patterns = List.of();

        @Option(names = "--bootstrap-port", paramLabel = "PORT", split = ",",
                description = "Load-balancer bootstrap ports that no group's range may contain (e.g. 9092,9192).")
        List<Integer> bootstrapPorts = List.of();

        @Option(names = "--spec", paramLabel = "SPEC",
                description = "Deployment spec (as for brokerlink plan): its patterns, zones, bootstrap ports and each"
                        + " broker's planned advertised port replace --pattern and --bootstrap-port.")
        Path specFile;

        @Option(names = "--json", description = "Print the report as JSON (docs/doctor-schema.json).")
        boolean json;

        @Override
        public Integer call() {
            LintOptions options;
            if (specFile != null) {
                if (!patterns.isEmpty() || !bootstrapPorts.isEmpty()) {
                    throw new UsageException("--spec: the spec gives the patterns and bootstrap ports; drop "
                            + (patterns.isEmpty() ? "--bootstrap-port" : "--pattern") + " or --spec");
                }
                try {
                    options = LintOptions.fromSpec(readSpec(specFile));
                } catch (InvalidSpecException e) {
                    return invalidSpec(spec, e);
                }
            } else {
                options = new LintOptions(patterns(patterns), new HashSet<>(bootstrapPorts), Map.of());
            }
            LintReport report;
            try {
                report = LintReport.lint(files, options);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new UsageException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? json(report) + "\n" : report.toHuman());
            out.flush();
            return report.ok() ? 0 : FOUND;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Live checks from the consumer's side, in order: bootstrap through every address, the",
                "broker list (like kafka-broker-api-versions), each advertised address on its own connection (which",
                "node answers?), then the data path: a probe topic led once by every broker, acks=all produce to",
                "every partition, consume back through a consumer group; the probe topic is deleted unless --keep."})
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
                description = "The endpoint's bootstrap address(es), or every broker port where there is none.")
        String bootstrap;

        @Option(names = "--resolve", paramLabel = "GLOB=ADDRESS",
                description = "Emulates the consumer's private DNS: names matching GLOB resolve to ADDRESS (repeatable,"
                        + " first match wins), e.g. '*.usw2-az1.abc.us-west-2.aws.plc.example.com=10.0.1.100'."
                        + " With rules, names no rule covers do not resolve.")
        List<String> resolve = List.of();

        @Option(names = "--pattern", paramLabel = "PATTERN",
                description = "Advertised pattern the broker list must follow. Default: the most common shape.")
        String pattern;

        @Option(names = "--spec", paramLabel = "SPEC",
                description = "Deployment spec (as for brokerlink plan): the brokers and advertised addresses of"
                        + " --group must be exactly those of its port plan.")
        Path specFile;

        @Option(names = "--group", paramLabel = "NAME", defaultValue = "EXTERNAL",
                description = "With --spec: the listener group whose bootstrap is given (default: ${DEFAULT-VALUE}).")
        String group;

        @Option(names = "--keep", description = "Keep the probe topic (and its consumer group).")
        boolean keep;

        @Option(names = "--api-versions", description = "List each broker's API version ranges.")
        boolean apiVersions;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
                description = "Per connection and request (default: ${DEFAULT-VALUE}); the data path allows a few.")
        int timeoutSeconds;

        @Option(names = "--json", description = "Print the report as JSON (docs/doctor-schema.json).")
        boolean json;

        @Override
        public Integer call() {
            PlannedGroup plan = null;
            if (specFile != null) {
                if (pattern != null) {
                    throw new UsageException("--spec: the spec gives the pattern; drop --pattern or --spec");
                }
                try {
                    plan = PlannedGroup.fromSpec(readSpec(specFile), specFile.toString(),
                            group.toUpperCase(java.util.Locale.ROOT));
                } catch (InvalidSpecException e) {
                    return invalidSpec(spec, e);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            } else if (spec.commandLine().getParseResult().hasMatchedOption("--group")) {
                throw new UsageException("--group: only meaningful with --spec; give the spec too");
            }
            CheckOptions options;
            try {
                HostPattern p = plan != null ? plan.sharedPattern()
                        : pattern == null ? null : HostPattern.of(new AdvertisedPattern(pattern));
                options = new CheckOptions(CheckOptions.parseBootstrap(bootstrap), ResolveRules.parse(resolve), p, keep,
                        apiVersions, Duration.ofSeconds(timeoutSeconds), plan);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            CheckReport report;
            try {
                report = LiveCheck.run(options, System.err);
            } catch (IllegalStateException e) {
                throw new UsageException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? json(report) + "\n" : report.toHuman(apiVersions));
            out.flush();
            return report.ok() ? 0 : FOUND;
        }
    }
}
