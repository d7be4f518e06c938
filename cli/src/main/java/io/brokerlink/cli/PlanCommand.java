package io.brokerlink.cli;

import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import io.brokerlink.core.SpecException;
import io.brokerlink.core.UniqueName;
import io.brokerlink.core.spec.InvalidSpecException;
import io.brokerlink.core.spec.SpecReader;
import io.brokerlink.plan.CurrentConfig;
import io.brokerlink.plan.PlanException;
import io.brokerlink.plan.PlanFiles;
import io.brokerlink.plan.PlanWriter;
import io.brokerlink.plan.Planner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brokerlink plan SPEC -o DIR}: one deployment spec to every config, port map, Terraform and picture. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Validates a deployment spec (YAML) and writes everything the private-link setup needs:",
            "brokers/<node>/server.properties (or the changes for a running cluster), portmap.md/json,",
            "terraform/ (aws, gcp, alicloud), gateway.yaml, CONNECT.md, topology.svg and PLAN.md.",
            "Nothing is written unless everything is valid. Exit 0 ok, 1 invalid spec, 2 usage error."})
public final class PlanCommand implements Callable<Integer> {

    /** Exit code for a spec (or --current file, --set value) that fails validation. */
    public static final int INVALID = 1;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The deployment spec, e.g. examples/aws.yaml.")
    Path specFile;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Directory to write the plan to; replaced as a whole (it must be empty, absent or an"
                    + " earlier plan).")
    Path output;

    @Option(names = "--check", description = "Validate only; write nothing.")
    boolean check;

    @Option(names = "--current", paramLabel = "NODE=FILE",
            description = "Existing cluster: the node's current server.properties to merge the changes into.")
    Map<Integer, Path> current = new LinkedHashMap<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a spec value. Known: unique-name (Alibaba Cloud's second round).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!check && output == null) {
            throw new UsageException("-o/--output: missing; give the directory to write the plan to, or --check");
        }
        for (String key : settings.keySet()) {
            if (!key.equals("unique-name")) {
                throw new UsageException("--set " + key + ": unknown setting; known: unique-name");
            }
        }
        String text = readable(specFile, "SPEC");
        Map<Integer, CurrentConfig> currentConfigs = new TreeMap<>();
        for (Map.Entry<Integer, Path> e : current.entrySet()) {
            currentConfigs.put(e.getKey(), CurrentConfig.parse(e.getValue().toString(),
                    readable(e.getValue(), "--current " + e.getKey())));
        }
        try {
            Deployment deployment = SpecReader.read(specFile.toString(), text);
            boolean secondRound = settings.containsKey("unique-name");
            if (secondRound) {
                try {
                    deployment = deployment.withUniqueName(new UniqueName(settings.get("unique-name")));
                } catch (SpecException e) {
                    err.println("--set unique-name: " + e.problem());
                    err.flush();
                    return INVALID;
                }
            }
            PlanFiles plan = Planner.plan(deployment, specFile.getFileName().toString(), currentConfigs, secondRound);
            if (check) {
                out.println(specFile + ": valid; " + summary(deployment) + "; would write " + plan.files().size()
                        + " files");
            } else {
                try {
                    PlanWriter.write(plan, output);
                } catch (IOException e) {
                    throw new UsageException("-o " + output + ": " + e.getMessage());
                }
                out.println("wrote " + plan.files().size() + " files to " + output + " (" + summary(deployment)
                        + "); start with " + output.resolve("PLAN.md"));
            }
            out.flush();
            return 0;
        } catch (InvalidSpecException | PlanException e) {
            err.println(e.getMessage());
            err.flush();
            return INVALID;
        }
    }

    private static String summary(Deployment d) {
        StringBuilder s = new StringBuilder(d.cloud().id() + ", " + d.brokers().size() + " nodes");
        for (GroupPlan g : d.portPlan().groups()) {
            s.append(", ").append(g.name()).append(' ').append(g.lowestPort()).append('-').append(g.highestPort());
            g.bootstrapPort().ifPresent(p -> s.append(" bootstrap ").append(p));
        }
        return s.toString();
    }

    private static String readable(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : ": " + e.getMessage())
                    + ")");
        }
    }
}
