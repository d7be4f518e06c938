package io.brokerlink.cli;

import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxException;
import io.brokerlink.sandbox.SandboxNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brokerlink sandbox}: a real KRaft cluster on this machine, laid out like the seeds' brokers. */
@Command(name = "sandbox",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Runs a real 3-broker Kafka KRaft cluster on this machine, laid out like the seeds' brokers.",
            "",
            "Every node is broker and controller, with listeners INTERNAL, CONTROLLER and EXTERNAL on its own",
            "loopback address (the seeds' ports) and EXTERNAL advertised from the pattern. Prints the layout,",
            "then one READY line when every broker is registered, and runs until Ctrl-C (SIGINT or SIGTERM)."})
public final class SandboxCommand implements Callable<Integer> {

    static final int MAX_BROKERS = 9;

    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "3",
            description = "Number of nodes, 1 to " + MAX_BROKERS + " (default: ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--first-address", paramLabel = "IP", defaultValue = "127.0.1.1",
            description = "Loopback address of node 1; node n gets the (n-1)th next one (default: ${DEFAULT-VALUE}).")
    String firstAddress;

    @Option(names = "--internal-port", paramLabel = "PORT", defaultValue = "9092",
            description = "INTERNAL listener port on every node (default: ${DEFAULT-VALUE}).")
    int internalPort;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "29092",
            description = "CONTROLLER listener port on every node (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--external-port", paramLabel = "PORT", defaultValue = "39092",
            description = "EXTERNAL listener bind port on every node (default: ${DEFAULT-VALUE}).")
    int externalPort;

    @Option(names = "--pattern", paramLabel = "PATTERN",
            defaultValue = "<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>",
            description = "Advertised EXTERNAL address pattern; needs <broker_id> and <port>, may use <az_id> "
                    + "(default: ${DEFAULT-VALUE}).")
    String pattern;

    @Option(names = "--zones", paramLabel = "AZ,...", split = ",", defaultValue = "usw2-az1,usw2-az2,usw2-az3",
            description = "AZ ids assigned round-robin to nodes, used as broker.rack and <az_id> "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> zones;

    @Option(names = "--advertised-port-base", paramLabel = "PORT", defaultValue = "9093",
            description = "Advertised EXTERNAL port of node 1; node n gets base + n - 1 (default: ${DEFAULT-VALUE}).")
    int advertisedPortBase;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the cluster's data here (kept on exit); default: a temporary directory, removed on exit.")
    Path dataDir;

    @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
            description = "Extra broker property for every node (repeatable).")
    Map<String, String> brokerProperties = Map.of();

    @Override
    public Integer call() throws InterruptedException {
        if (brokers < 1 || brokers > MAX_BROKERS) {
            throw new UsageException("--brokers: " + brokers + " is not between 1 and " + MAX_BROKERS);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SandboxCluster.Builder builder;
        try {
            builder = SandboxCluster.builder()
                    .brokers(brokers)
                    .firstAddress(firstAddress)
                    .internalPort(internalPort)
                    .controllerPort(controllerPort)
                    .externalPort(externalPort)
                    .pattern(pattern)
                    .zones(zones)
                    .advertisedPortBase(advertisedPortBase)
                    .brokerProperties(brokerProperties);
            if (dataDir != null) {
                builder.dataDir(dataDir);
            }
            builder.preflight(); // every input error before anything starts
        } catch (SandboxException e) {
            throw new UsageException(optionOf(e) + ": " + e.detail());
        }
        err.println("starting " + brokers + " Kafka " + (brokers == 1 ? "node" : "nodes") + " (KRaft, in-process) ...");
        err.flush();
        long started = System.nanoTime();
        SandboxCluster cluster;
        try {
            cluster = builder.start();
        } catch (SandboxException e) {
            if ("cluster".equals(e.field())) {
                err.println("brokerlink sandbox: " + e.getMessage());
                return 1;
            }
            throw new UsageException(optionOf(e) + ": " + e.detail());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("stopping the sandbox ...");
            err.flush();
            cluster.close();
            err.println("stopped" + (dataDir == null ? "; data directory removed" : "; data kept in " + dataDir));
            err.flush();
            stopped.countDown();
        }, "sandbox-shutdown"));

        printLayout(out, cluster.nodes());
        out.println("READY internal=" + cluster.internalBootstrap() + " external=" + cluster.externalBootstrap());
        out.flush();
        err.printf(Locale.ROOT, "ready in %.1f s; Ctrl-C stops the cluster%n", (System.nanoTime() - started) / 1e9);
        err.flush();
        stopped.await();
        return 0;
    }

    /** "external port" -> "--external-port": the sandbox names fields the way this command names options. */
    private static String optionOf(SandboxException e) {
        return "--" + e.field().replace(' ', '-');
    }

    static void printLayout(PrintWriter out, List<SandboxNode> nodes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "AZ", "INTERNAL", "EXTERNAL BIND", "ADVERTISED EXTERNAL", "CONTROLLER"});
        for (SandboxNode n : nodes) {
            rows.add(new String[] {Integer.toString(n.nodeId()), n.zone(), n.internal(), n.externalBind(),
                n.advertisedExternal(), n.controller()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.length; i++) {
                cells.add(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
            }
            out.println(cells.stream().collect(Collectors.joining("  ")));
        }
    }
}
