package io.brokerlink.cli;

import io.brokerlink.core.HostPort;
import io.brokerlink.doctor.check.HostsFile;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.GatewayService;
import io.brokerlink.gateway.compat.KafkaProxyFlags;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxException;
import io.brokerlink.sandbox.SandboxNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brokerlink demo}: the seeds' whole private-link procedure played out for real on loopback. Every part runs
 * in this one process (cluster, gateways, checks), so stopping it, however abruptly, leaves nothing running.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Shows the whole private-link path on this machine in one command (under 90 s).",
            "",
            "A 3-broker sandbox laid out like the seeds' brokers, plan run on a spec for it, the 'before' picture",
            "(advertised names that lead nowhere), a portmap gateway from the plan standing in for the cloud load",
            "balancer and endpoint, doctor check from the consumer's side through it, then the proxy path: a rewrite",
            "gateway started with grepplabs kafka-proxy's flags, checked the same way. Exit 0 when every step passed."})
public final class DemoCommand implements Callable<Integer> {

    static final int STEPS = 7;
    static final String PATTERN_DOMAIN = "abc.us-west-2.aws.plc.example.com";
    static final String PROXY_DOMAIN = "abc.us-west1.gcp.plc.example.com";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "brokerlink-demo",
            description = "Where the demo writes its spec, plan and hosts file (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--endpoint-address", paramLabel = "IP", defaultValue = "127.0.9.1",
            description = "Loopback address of the endpoint (portmap gateway) (default: ${DEFAULT-VALUE}).")
    String endpointAddress;

    @Option(names = "--proxy-address", paramLabel = "IP", defaultValue = "127.0.9.2",
            description = "Loopback address of the rewrite proxy (default: ${DEFAULT-VALUE}).")
    String proxyAddress;

    @Option(names = "--keep-running",
            description = "Keep everything up after the last step and print commands to explore it; Ctrl-C stops.")
    boolean keepRunning;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private PrintWriter out;
    private int step;
    private long stepStarted;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // First of all: every later name lookup in this JVM must go through a file the demo (and doctor) can write.
        HostsFile hosts = HostsFile.activate();
        // The steps print what matters; the parts' own INFO lines would only interleave with them.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.brokerlink"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Thread onSignal = new Thread(this::stopAll, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            SandboxCluster cluster = sandbox();
            Path plan = plan(cluster);
            before(cluster);
            GatewayService endpoint = endpoint(plan);
            consumerView(plan);
            GatewayService proxy = proxyPath(cluster);
            summary(cluster, endpoint, proxy, hosts, started);
        } catch (StepFailed e) {
            out.println();
            out.printf(Locale.ROOT, "[%d/%d] FAILED: %s%n", step, STEPS, e.getMessage());
            out.flush();
            stopAll();
            return 1;
        } catch (IOException | RuntimeException e) {
            out.println();
            out.printf(Locale.ROOT, "[%d/%d] FAILED: %s%n", step, STEPS, e);
            out.flush();
            stopAll();
            return 1;
        }
        if (keepRunning) {
            err.println("Everything keeps running; Ctrl-C stops it all.");
            err.flush();
            new CountDownLatch(1).await(); // until the shutdown hook runs
        }
        stopAll();
        Runtime.getRuntime().removeShutdownHook(onSignal);
        return 0;
    }

    // ---- the steps ------------------------------------------------------------------------------------------------

    private SandboxCluster sandbox() {
        begin("Sandbox: a real 3-broker KRaft cluster, each broker on its own loopback address with the seeds' ports");
        SandboxCluster cluster;
        try {
            cluster = SandboxCluster.builder().firstAddress("127.0.1.1").start();
        } catch (SandboxException e) {
            throw new StepFailed(e.getMessage() + " (is `brokerlink sandbox` already running?)");
        }
        running.push(cluster);
        StringWriter table = new StringWriter();
        SandboxCommand.printLayout(new PrintWriter(table), cluster.nodes());
        show(table.toString());
        done();
        return cluster;
    }

    private Path plan(SandboxCluster cluster) throws IOException {
        begin("Plan: one spec for this cluster in, broker configs, port map, Terraform and gateway config out");
        Path specFile = dir.resolve("spec.yaml");
        Files.writeString(specFile, spec(cluster));
        Path output = dir.resolve("plan");
        run(0, "plan", specFile.toString(), "-o", output.toString());
        try (var files = Files.walk(output)) {
            show("wrote " + files.filter(Files::isRegularFile).map(f -> output.relativize(f).toString()).sorted()
                    .collect(Collectors.joining(", ")));
        }
        done();
        return output;
    }

    private void before(SandboxCluster cluster) {
        begin("Before: bootstrap through an EXTERNAL listener from outside (the seeds' check)");
        show("The brokers advertise the pattern's names; from outside nothing resolves them yet, so every broker fails:");
        run(1, "doctor", "check", "--bootstrap", cluster.node(1).externalBind(), "--timeout", "1");
        done();
    }

    private GatewayService endpoint(Path plan) {
        begin("Endpoint: a portmap gateway from the plan's gateway.yaml on " + endpointAddress
                + " (bootstrap 9092, brokers 9093-9095), standing in for the load balancer and endpoint service");
        PortmapConfig config = ((PortmapConfig) GatewayConfigLoader.load(plan.resolve("gateway.yaml")))
                .withBindAddress(endpointAddress);
        config = config.withCommon(config.common().withAdmin(new AdminConfig(new HostPort(endpointAddress, 9644))));
        show("$ brokerlink gateway --config " + plan.resolve("gateway.yaml") + " --bind-address " + endpointAddress
                + " --admin-bind " + endpointAddress + ":9644");
        GatewayService endpoint = startGateway(config);
        done();
        return endpoint;
    }

    private void consumerView(Path plan) {
        begin("Consumer's view: doctor check through the endpoint, with resolve rules as the consumer's private DNS");
        run(0, "doctor", "check", "--bootstrap", endpointAddress + ":9092",
                "--resolve", "*." + PATTERN_DOMAIN + "=" + endpointAddress,
                "--pattern", "<broker_id>.<az_id>." + PATTERN_DOMAIN + ":<port>");
        done();
    }

    private GatewayService proxyPath(SandboxCluster cluster) {
        begin("Proxy path: a rewrite gateway in front of the unchanged cluster, started with kafka-proxy's flags");
        List<String> flags = new ArrayList<>(List.of("server"));
        for (SandboxNode n : cluster.nodes()) {
            flags.add("--bootstrap-server-mapping");
            flags.add(n.internal() + "," + proxyAddress + ":" + (9091 + n.nodeId()) + ",b" + n.nodeId() + "."
                    + PROXY_DOMAIN + ":" + (9091 + n.nodeId()));
        }
        flags.add("--dynamic-sequential-min-port=9095");
        flags.add("--dynamic-advertised-listener=brokers." + PROXY_DOMAIN);
        flags.add("--http-listen-address=" + proxyAddress + ":9644");
        show("$ brokerlink gateway " + flags.stream().map(f -> f.contains(",") ? "\"" + f + "\"" : f)
                .collect(Collectors.joining(" ")));
        RewriteConfig config = KafkaProxyFlags.parse(flags);
        GatewayService proxy = startGateway(config);
        run(0, "doctor", "check", "--bootstrap", proxyAddress + ":9092",
                "--resolve", "*." + PROXY_DOMAIN + "=" + proxyAddress);
        done();
        return proxy;
    }

    private void summary(SandboxCluster cluster, GatewayService endpoint, GatewayService proxy, HostsFile hosts,
                         long started) throws IOException {
        begin("Summary");
        Path hostsFile = dir.resolve("hosts");
        Files.writeString(hostsFile, "127.0.0.1 localhost\n" + cluster.nodes().stream()
                .map(n -> endpointAddress + " " + n.advertisedHost() + "\n"
                        + proxyAddress + " b" + n.nodeId() + "." + PROXY_DOMAIN)
                .collect(Collectors.joining("\n")) + "\n");
        show(String.join("\n",
                "cluster     " + cluster.internalBootstrap() + " (INTERNAL), " + cluster.externalBootstrap()
                        + " (EXTERNAL bind)",
                "endpoint    " + endpointAddress + ":9092 bootstrap, 9093-9095 brokers (portmap), admin http://"
                        + show(endpoint.adminAddress()),
                "proxy       " + proxyAddress + ":9092-9094 (rewrite), admin http://" + show(proxy.adminAddress()),
                "plan        " + dir.resolve("plan") + " (PLAN.md is the index; topology.svg the picture)",
                "hosts file  " + hostsFile + " (the consumer's private DNS, for Java clients: -Djdk.net.hosts.file)"));
        if (keepRunning) {
            show(String.join("\n",
                    "Explore (paste into another terminal):",
                    "  kcat -L -b " + endpointAddress + ":9092            # metadata through the endpoint: the pattern's names",
                    "  kcat -L -b " + proxyAddress + ":9092            # through the proxy: rewritten addresses",
                    "  ./brokerlink doctor check --bootstrap " + endpointAddress + ":9092 --resolve '*." + PATTERN_DOMAIN
                            + "=" + endpointAddress + "'",
                    "  curl -s http://" + show(endpoint.adminAddress()) + "/status",
                    "  curl -s http://" + show(proxy.adminAddress()) + "/metrics | grep brokerlink",
                    "  BROKERLINK_JAVA_OPTS=-Djdk.net.hosts.file=" + hostsFile.toAbsolutePath()
                            + " ./brokerlink doctor check --bootstrap " + proxyAddress + ":9092"));
        }
        done();
        out.printf(Locale.ROOT, "Demo passed in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        out.flush();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** The spec the demo plans from: the sandbox's layout, with the endpoint on its own address. */
    private String spec(SandboxCluster cluster) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Written by brokerlink demo: the sandbox's layout, planned for a BrokerLink portmap gateway.\n")
                .append("cloud: generic\nregion: us-west-2\nname: demo\ncluster: new\n")
                .append("zones: [").append(cluster.nodes().stream().map(SandboxNode::zone).distinct()
                        .collect(Collectors.joining(", "))).append("]\n")
                .append("listeners:\n  internal: {name: INTERNAL, port: ").append(cluster.node(1).internalPort())
                .append("}\n  controller: {name: CONTROLLER, port: ").append(cluster.node(1).controllerPort())
                .append("}\ngateway:\n  bind-address: ").append(endpointAddress).append("\n")
                .append("groups:\n  - name: EXTERNAL\n    pattern: \"<broker_id>.<az_id>.").append(PATTERN_DOMAIN)
                .append(":<port>\"\n    bind-port: ").append(cluster.node(1).externalPort())
                .append("\n    advertised-port-start: ").append(cluster.node(1).advertisedPort())
                .append("\n    bootstrap-port: 9092\nbrokers:\n");
        for (SandboxNode n : cluster.nodes()) {
            yaml.append("  - {node-id: ").append(n.nodeId()).append(", host: ").append(n.address())
                    .append(", zone: ").append(n.zone()).append(", roles: [broker, controller]}\n");
        }
        return yaml.toString();
    }

    private GatewayService startGateway(GatewayConfig config) {
        GatewayService service = GatewayService.start(config);
        running.push(service);
        show("READY " + service.gateway().listenerAddresses().stream().map(DemoCommand::show)
                .collect(Collectors.joining(" ")) + " admin=" + show(service.adminAddress()));
        return service;
    }

    /** Runs one brokerlink command in this process, its output indented under the step. */
    private void run(int expectedExit, String... args) {
        show("$ brokerlink " + java.util.Arrays.stream(args).map(a -> a.contains("*") ? "'" + a + "'" : a)
                .collect(Collectors.joining(" ")));
        StringWriter captured = new StringWriter();
        PrintWriter writer = new PrintWriter(captured, true);
        CommandLine cli = Main.commandLine();
        cli.setOut(writer);
        cli.setErr(writer);
        int exit = cli.execute(args);
        writer.flush();
        show(captured.toString());
        if (exit != expectedExit) {
            throw new StepFailed("brokerlink " + String.join(" ", args) + " exited " + exit + ", expected "
                    + expectedExit);
        }
    }

    private void begin(String title) {
        step++;
        stepStarted = System.nanoTime();
        out.println();
        out.printf(Locale.ROOT, "[%d/%d] %s%n", step, STEPS, title);
        out.flush();
    }

    private void done() {
        out.printf(Locale.ROOT, "      ok (%.1f s)%n", (System.nanoTime() - stepStarted) / 1e9);
        out.flush();
    }

    private void show(String text) {
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank()) {
                out.println("      " + line);
            }
        }
        out.flush();
    }

    private static String show(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Stops what the demo started, newest first; safe to call twice (normal end, then the signal hook). */
    private synchronized void stopAll() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("demo: stopping failed: " + e);
            }
        }
    }

    /** A step whose outcome was not what the demo shows; the message says what happened. */
    private static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailed(String message) {
            super(message);
        }
    }
}
