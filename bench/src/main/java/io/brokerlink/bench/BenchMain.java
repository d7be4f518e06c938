package io.brokerlink.bench;

import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code bash bench/run.sh}: one run measures direct access to a 3-node sandbox and every gateway target of
 * {@code bench/targets.conf}, interleaved over rounds: throughput with Kafka's own perf tools in child JVMs, latency
 * with {@link LatencyProbe} (one child JVM per round, all targets in interleaved slices); then the heap of each gateway
 * with many idle client connections. Prints the medians and ratios to direct and writes them, with
 * every tool's log, to the run directory.
 */
public final class BenchMain {

    static final String TOPIC = "bench";
    static final int PARTITIONS = 6;
    static final short REPLICATION = 3;
    static final int RECORD_SIZE = 1024;
    static final int NODES = 3;
    static final String DOMAIN = "bench.brokerlink.test";
    /**
     * The part of the names the sandbox's EXTERNAL listener advertises ({@code b1.endpoint.DOMAIN}, one port per
     * broker, as brokers behind a port-mapping endpoint do): every target that forwards by port listens on those ports,
     * and each tool's hosts file leads the names to the one target it measures.
     */
    static final String ENDPOINT = "endpoint";
    private static final String CLI_MAIN = "io.brokerlink.cli.Main";
    private static final List<String> TOOL_JVM = List.of("-Xmx512m", "-XX:+UseG1GC");
    /**
     * Measured produce runs end with the producer's metrics in their log (printed after the run, so not measured):
     * records per request, batch size, request latency, requests per second, to compare how the client batched and
     * waited through each target (BENCHMARKS.md, runs 42 onwards).
     */
    private static final List<String> PRODUCER_METRICS = List.of("--print-metrics");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9.]+)}");

    private final BenchOptions options;
    private final Path hostsFile;
    /** For {@link Baselines#DIRECT_EXTERNAL}'s clients: the advertised names lead to the brokers themselves. */
    private final Path brokersHostsFile;
    /**
     * For each target that forwards by port but the first: a hosts file of its own, leading the endpoint names to it
     * ({@link #hostsFile} leads them to the first).
     */
    private final Map<String, Path> ownHostsFiles = new LinkedHashMap<>();
    private Results results;
    /** Empty with {@code --gateway-cpus none}: every process shares every CPU throughout. */
    private final Optional<CpuPlacement> placement;

    private BenchMain(BenchOptions options) {
        this.options = options;
        this.hostsFile = options.outDir().resolve("hosts");
        this.brokersHostsFile = options.outDir().resolve("hosts-" + Baselines.DIRECT_EXTERNAL);
        this.placement = options.cpuSplit().map(CpuPlacement::new);
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("brokerlink.root", ".")).toAbsolutePath().normalize();
        try {
            new BenchMain(BenchOptions.parse(args, root)).run();
        } catch (BenchException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * A gateway target with its addresses chosen for this run. {@code byPort}: it forwards by port, so it listens on
     * the ports the brokers advertise and its clients follow the endpoint names.
     */
    private record Placed(GatewayTarget target, boolean byPort, String listenAddress, int portBase,
                          Map<String, String> vars) {

        int brokerPort(int nodeId) {
            return portBase + nodeId - 1;
        }

        int bootstrapPort() {
            return portBase + NODES;
        }

        String advertisedHost(int nodeId) {
            return byPort ? endpointName(nodeId) : "b" + nodeId + "." + target.name() + "." + DOMAIN;
        }

        /** What clients bootstrap from: every broker port under its advertised name. */
        String clientBootstrap() {
            List<String> out = new ArrayList<>();
            for (int n = 1; n <= NODES; n++) {
                out.add(advertisedHost(n) + ":" + brokerPort(n));
            }
            return String.join(",", out);
        }

        List<InetSocketAddress> brokerAddresses() {
            List<InetSocketAddress> out = new ArrayList<>();
            for (int n = 1; n <= NODES; n++) {
                out.add(new InetSocketAddress(listenAddress, brokerPort(n)));
            }
            return out;
        }
    }

    private void run() throws Exception {
        Files.createDirectories(options.outDir());
        // The brokers' threads, started below, inherit this JVM's CPUs.
        place(CpuShape.GATEWAY_APART);
        List<GatewayTarget> targets = readTargets();
        Set<String> byPort = new LinkedHashSet<>();
        for (GatewayTarget t : targets) {
            if (forwardsByPort(options.targetsFile(), t)) {
                byPort.add(t.name());
            }
        }
        results = new Results(byPort);
        // Latency: direct and every gateway target. Throughput also: direct-external, direct access to the listener
        // the targets that forward by port forward to (Baselines).
        List<String> latencyOrder = new ArrayList<>();
        latencyOrder.add(Baselines.DIRECT);
        targets.forEach(t -> latencyOrder.add(t.name()));
        List<String> order = new ArrayList<>(latencyOrder);
        if (!byPort.isEmpty()) {
            order.add(1, Baselines.DIRECT_EXTERNAL);
        }
        int rounds = options.roundsFor(order.size());
        log("run directory " + options.outDir() + "; targets " + order + ", " + rounds + " rounds");
        if (rounds % order.size() != 0) {
            log("note: " + rounds + " rounds for " + order.size() + " targets: some targets will run first "
                    + "in a round more often than others (the slowest position for consume); a multiple of "
                    + order.size() + " balances the order");
        }

        List<String> nodeAddresses = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            nodeAddresses.add(offset(options.firstAddress(), n));
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            addresses.add(offset(options.firstAddress(), 9 + i));
        }
        // The endpoint's ports: what the brokers advertise, what every target that forwards by port listens on (each
        // on its own address), and what the brokers bind their EXTERNAL listeners on (for direct-external).
        List<String> endpointAddresses = new ArrayList<>(nodeAddresses);
        for (int i = 0; i < targets.size(); i++) {
            if (byPort.contains(targets.get(i).name())) {
                endpointAddresses.add(addresses.get(i));
            }
        }
        int endpointBase = freePortRun(endpointAddresses, NODES + 1);
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            boolean mapped = byPort.contains(targets.get(i).name());
            int base = mapped ? endpointBase : freePortRun(List.of(addresses.get(i)), NODES + 1);
            placed.add(new Placed(targets.get(i), mapped, addresses.get(i), base, new LinkedHashMap<>()));
        }
        writeHostsFiles(placed, nodeAddresses);

        SandboxCluster.Builder builder = SandboxCluster.builder().brokers(NODES).firstAddress(options.firstAddress())
                .ephemeralPorts()
                .pattern("<broker_id>." + ENDPOINT + "." + DOMAIN + ":<port>")
                // Old segments go quickly: every run writes several GB; consume reads from the start of what is left.
                .brokerProperty("log.retention.check.interval.ms", "10000")
                .brokerProperty("log.segment.delete.delay.ms", "1000");
        builder.advertisedPortBase(endpointBase);
        if (!byPort.isEmpty()) {
            builder.externalOnAdvertisedPorts();
        }
        log("starting a " + NODES + "-node sandbox on " + options.firstAddress() + ", its logs under "
                + System.getProperty("java.io.tmpdir") + "..");
        try (GcPauseLog brokersGc = GcPauseLog.start(options.outDir().resolve("brokers-gc.log"));
                SandboxCluster cluster = builder.start()) {
            log("the brokers' garbage collections go to " + brokersGc.file() + ", each gateway's collections and "
                    + "safepoints to gateway-NAME-jvm.log beside it");
            // Ctrl-C: stop the brokers cleanly so that their temporary data directory (several GB) is removed.
            Thread stopCluster = new Thread(cluster::close, "bench-sandbox-stop");
            Runtime.getRuntime().addShutdownHook(stopCluster);
            for (Placed p : placed) {
                fillVars(p, cluster);
            }
            createTopic(cluster);
            List<GatewayProcess> gateways = new ArrayList<>();
            try {
                Map<String, GatewayProcess> byName = new LinkedHashMap<>();
                for (Placed p : placed) {
                    GatewayProcess g = startGateway(p);
                    gateways.add(g);
                    byName.put(p.target().name(), g);
                    placement.ifPresent(cpus -> cpus.addGateway(p.target().name(), g.pid()));
                }
                Map<String, String> bootstrap = new LinkedHashMap<>();
                bootstrap.put(Baselines.DIRECT, cluster.internalBootstrap());
                if (!byPort.isEmpty()) {
                    bootstrap.put(Baselines.DIRECT_EXTERNAL, cluster.externalBootstrap());
                }
                placed.forEach(p -> bootstrap.put(p.target().name(), p.clientBootstrap()));

                log("filling the topic with " + options.consumeRecords() + " records (direct, not measured)..");
                produce("fill", Baselines.DIRECT, cluster.internalBootstrap(), options.consumeRecords(), 0, -1,
                        List.of());
                // Full produce and consume runs per target until the gateway's JIT compiler has settled: a gateway JVM
                // is seconds old here. Measured passes of a rewrite gateway (CPU, of it JIT): 4,290 / 2,590 ms, then
                // 1,610 / 350, 1,340 / 130, 1,340 / 110; portmap 1,160 / 190, then 900 / 20. The JIT column of the CPU
                // table shows what is left.
                for (String t : order) {
                    warmUp(t, bootstrap.get(t), byName.get(t));
                }
                List<CpuShape> shapes = options.shapes();
                for (int round = 1; round <= rounds; round++) {
                    List<String> roundOrder = roundOrder(order, round);
                    log("round " + round + ": produce and consume in the order " + roundOrder);
                    results.round(round, roundOrder);
                    for (CpuShape shape : shapes) {
                        place(shape);
                        throughputPhases(round, roundOrder, shape, shapes.size() > 1 ? " (" + shape.csv() + ")" : "",
                                bootstrap, byName);
                    }
                    place(CpuShape.SHARED);
                    settle(round, "latency");
                    Map<String, LatencyResult> latency = latencyPhase(round, latencyOrder, bootstrap);
                    for (String t : latencyOrder) {
                        LatencyResult r = latency.get(t);
                        results.latency(t, r);
                        log(String.format(Locale.ROOT, "round %d latency %-8s p50 %.2f  p99 %.2f  p99.9 %.2f ms"
                                + "  (%d sent, %d failed, %d late)", round, t, r.p50Ms(), r.p99Ms(), r.p999Ms(),
                                r.sent(), r.failed(), r.late()));
                        if (r.failed() > 0) {
                            log("round " + round + " latency " + t + ": " + r.failed() + " of " + r.sent()
                                    + " sends failed; see " + options.outDir().resolve("r" + round + "-latency.log"));
                        }
                    }
                }
                if (options.idleConnections() > 0) {
                    for (Placed p : placed) {
                        if (p.target().kind() == GatewayTarget.Kind.PROGRAM) {
                            log("heap " + p.target().name() + ": not measured, " + p.target().command().get(0)
                                    + " is not a JVM");
                        } else {
                            measureHeap(p, byName.get(p.target().name()));
                        }
                    }
                }
            } finally {
                gateways.forEach(GatewayProcess::close);
            }
        }
        String table = results.table(order, options);
        try {
            table = table + "\n" + PauseReport.report(options.outDir(), latencyOrder);
        } catch (IOException | BenchException e) {
            // The measurements stand without it; say why the pause report is missing.
            table = table + "\nPauses: no report (" + e.getMessage() + ")\n";
        }
        Files.writeString(options.outDir().resolve("results.md"), table);
        Files.writeString(options.outDir().resolve("raw.csv"), results.csv());
        System.out.println();
        System.out.println(table);
        log("results written to " + options.outDir().resolve("results.md"));
    }

    /** One round's produce runs and then its consume runs, every target in the round's order, in one CPU shape. */
    private void throughputPhases(int round, List<String> roundOrder, CpuShape shape, String label,
                                  Map<String, String> bootstrap, Map<String, GatewayProcess> byName)
            throws IOException, InterruptedException {
        Results.Throughput runs = results.throughput(shape);
        // Steady-state runs (--produce-warmup-records, run 49) each start from a settled machine: a long run leaves GBs
        // of appended log for the kernel to write out. Default runs settle once a phase, as in runs 14-48, so that
        // their figures stay comparable.
        boolean settleEachRun = options.produceWarmupRecords() > 0;
        if (!settleEachRun) {
            settle(round, "produce" + label);
        }
        for (String t : roundOrder) {
            if (settleEachRun) {
                settle(round, "produce" + label + " " + t);
            }
            CpuBefore before = CpuBefore.read(byName.get(t));
            ProduceResult r = produce("r" + round + "-produce-" + shape.csv() + "-" + t, t, bootstrap.get(t),
                    options.produceRecords(), options.produceWarmupRecords(), -1, PRODUCER_METRICS);
            runs.produce(t, r);
            // CPU per MiB over the whole run (the counters cannot split off the warm-up records).
            before.recordSince(runs, t, "produce", options.produceRecords() * (double) RECORD_SIZE / (1 << 20));
            log(String.format("round %d produce%s %-8s %7.1f MB/s  avg %6.1f ms  p99 %4d ms", round, label, t,
                    r.mbPerSec(), r.avgLatencyMs(), r.p99Ms()));
        }
        settle(round, "consume" + label);
        for (String t : roundOrder) {
            CpuBefore before = CpuBefore.read(byName.get(t));
            ConsumeResult r = consume("r" + round + "-consume-" + shape.csv() + "-" + t, t, bootstrap.get(t),
                    options.consumeRecords());
            runs.consume(t, r);
            before.recordSince(runs, t, "consume", r.mb());
            log(String.format("round %d consume%s %-8s %7.1f MB/s (fetch; %.1f MB/s with the group join)",
                    round, label, t, r.fetchMbPerSec(), r.mbPerSec()));
        }
    }

    /** Nothing to move with {@code --gateway-cpus none}: every process shares every CPU throughout. */
    private void place(CpuShape shape) throws IOException, InterruptedException {
        if (placement.isPresent()) {
            placement.get().place(shape);
        }
    }

    /**
     * The order in which round {@code round} (from 1) produces and consumes: the targets' order rotated by one more
     * place each round (round 1: direct, then the file's order). Over as many rounds as there are targets every target
     * runs once in every position, so a position's conditions (the brokers still flushing the previous phase's
     * appends, a neighbour's load arriving part-way through a phase) are shared out instead of always meeting the same
     * target: with a fixed order, direct always ran first and the last target of the file always last.
     */
    static List<String> roundOrder(List<String> order, int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round " + round + ": rounds count from 1");
        }
        List<String> rotated = new ArrayList<>(order);
        Collections.rotate(rotated, -((round - 1) % Math.max(1, order.size())));
        return List.copyOf(rotated);
    }

    /**
     * The CPU counters just before a tool run: its target's gateway JVM (null for direct) and of it the JIT compiler
     * threads, the brokers (this JVM) and the whole machine.
     */
    private record CpuBefore(GatewayProcess gateway, long gatewayMillis, long jitMillis, long brokersMillis,
                             Quiet.CpuTimes machine) {

        static CpuBefore read(GatewayProcess gateway) throws IOException {
            return new CpuBefore(gateway, cpuOf(gateway), jitOf(gateway), brokersCpuMillis(), Quiet.now());
        }

        /** Records what the run since then cost per MiB moved (the machine's: its JVM's start and group join included). */
        void recordSince(Results.Throughput runs, String target, String kind, double mib) throws IOException {
            Quiet.CpuTimes after = Quiet.now();
            if (machine != null && after != null) {
                runs.machineCpu(target, kind, Quiet.busyMillis(machine, after), after.busySince(machine), mib);
            }
            runs.brokersCpu(target, kind, brokersCpuMillis() - brokersMillis, mib);
            runs.gatewayCpu(target, kind, cpuOf(gateway) - gatewayMillis, mib);
            runs.gatewayJit(target, kind, jitOf(gateway) - jitMillis, mib);
        }
    }

    private String gatewayCpus() {
        return options.cpuSplit().map(split -> CpuSplit.list(split.gateway())).orElse("");
    }

    /** Before a phase: the machine done with the previous one ({@link Quiet}); logged either way. */
    private static void settle(int round, String phase) throws IOException, InterruptedException {
        log("round " + round + " " + phase + ": " + Quiet.await().describe());
    }

    /** CPU milliseconds used so far by this JVM: the three brokers (the harness itself idles while a tool runs). */
    private static long brokersCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /** Warm-up passes end once the gateway's JIT compiler threads took less than this share of its CPU in a pass. */
    static final double WARM_JIT_SHARE = 0.10;
    /** At most this many warm-up passes per target, settled or not (the log says which). */
    static final int MAX_WARM_PASSES = 5;

    /**
     * Full produce and consume runs through a target, not measured, until its gateway's JIT compiler has settled
     * ({@link #WARM_JIT_SHARE}); direct has no gateway and gets one pass (the tools' JVMs are new every run anyway).
     */
    private void warmUp(String target, String bootstrap, GatewayProcess gateway)
            throws IOException, InterruptedException {
        for (int pass = 1; ; pass++) {
            long cpu = cpuOf(gateway);
            long jit = jitOf(gateway);
            produce("warmup-" + pass + "-" + target, target, bootstrap, options.produceRecords(), 0, -1, List.of());
            consume("warmup-" + pass + "-" + target, target, bootstrap, options.consumeRecords());
            if (gateway == null) {
                log("warm-up " + target + " (not measured)");
                return;
            }
            long passCpu = cpuOf(gateway) - cpu;
            long passJit = jitOf(gateway) - jit;
            boolean settled = passJit < WARM_JIT_SHARE * passCpu;
            log(String.format("warm-up %s pass %d (not measured): gateway CPU %,d ms, of it JIT %,d ms%s", target, pass,
                    passCpu, passJit, settled ? " (settled)" : pass == MAX_WARM_PASSES ? " (not settled; measuring anyway)" : ""));
            if (settled || pass == MAX_WARM_PASSES) {
                return;
            }
        }
    }

    /** CPU milliseconds the JIT compiler threads of a target's gateway used so far; 0 for direct. */
    private static long jitOf(GatewayProcess gateway) {
        return gateway == null ? 0 : gateway.jitCpuMillis();
    }

    /** CPU milliseconds used so far by the gateway of a target; 0 for direct (no gateway). */
    private static long cpuOf(GatewayProcess gateway) {
        return gateway == null ? 0 : gateway.cpuMillis();
    }

    /**
     * Whether {@code t} forwards by port to the brokers' EXTERNAL listener, whose advertised names its clients follow: a
     * YAML target whose template runs portmap mode, or a program declared {@code portmap}. Such a target listens on
     * the ports the brokers advertise, on its own address.
     */
    static boolean forwardsByPort(Path targetsFile, GatewayTarget t) throws IOException {
        return switch (t.kind()) {
            case PROGRAM -> t.addressing() == GatewayTarget.Addressing.PORTMAP;
            case CLI -> false;
            case YAML -> {
                Path template = targetsFile.toAbsolutePath().getParent().resolve(t.arguments().get(0));
                yield Files.isReadable(template) && PORTMAP_MODE.matcher(Files.readString(template)).find();
            }
        };
    }

    private static final Pattern PORTMAP_MODE = Pattern.compile("(?m)^mode:\\s*portmap\\s*(#.*)?$");

    private List<GatewayTarget> readTargets() throws IOException {
        Path file = options.targetsFile();
        if (!Files.isReadable(file)) {
            throw new BenchException("--targets-file: " + file + " is not a readable file");
        }
        List<String> lines = Files.readAllLines(file);
        List<GatewayTarget> all = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            GatewayTarget t = GatewayTarget.parse(line, file + ":" + (i + 1));
            if (all.stream().anyMatch(o -> o.name().equals(t.name()))) {
                throw new BenchException(file + ":" + (i + 1) + ": target " + t.name() + " is defined twice");
            }
            all.add(t);
        }
        if (options.only().isEmpty()) {
            return all;
        }
        List<GatewayTarget> chosen = new ArrayList<>();
        for (String name : options.only().get()) {
            chosen.add(all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                    new BenchException("--targets: \"" + name + "\" is not in " + file + "; its targets are "
                            + all.stream().map(GatewayTarget::name).toList())));
        }
        return chosen;
    }

    private void fillVars(Placed p, SandboxCluster cluster) {
        Map<String, String> v = p.vars();
        v.put("listen.address", p.listenAddress());
        v.put("bootstrap.port", Integer.toString(p.bootstrapPort()));
        v.put("upstream.internal", cluster.internalBootstrap());
        v.put("upstream.external", cluster.externalBootstrap());
        for (SandboxNode n : cluster.nodes()) {
            int id = n.nodeId();
            v.put("listen.port." + id, Integer.toString(p.brokerPort(id)));
            v.put("advertised.host." + id, p.advertisedHost(id));
            v.put("broker." + id + ".external", n.externalBind());
            v.put("broker." + id + ".internal", n.internal());
        }
    }

    private static String fill(String template, Map<String, String> vars, String where) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new BenchException(where + ": ${" + m.group(1) + "} is not a placeholder; use one of "
                        + vars.keySet().stream().map(k -> "${" + k + "}").collect(Collectors.joining(", ")));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private GatewayProcess startGateway(Placed p) throws IOException, InterruptedException {
        GatewayTarget t = p.target();
        // Every collection and safepoint of the gateway, with wall-clock times to line up with the probe's slices.
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.gatewayHeap(), "-XX:+UseG1GC",
                "-Xlog:gc,safepoint:file=" + options.outDir().resolve("gateway-" + t.name() + "-jvm.log")
                        + ":utctime,uptimemillis,tags",
                "-Djdk.net.hosts.file=" + hostsFile, "-Dsun.net.inetaddr.ttl=0"));
        jvm.addAll(t.jvmOptions());
        if (options.profile()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + options.outDir().resolve("gateway-" + t.name() + ".jfr"));
        }
        Path log = options.outDir().resolve("gateway-" + t.name() + ".log");
        GatewayProcess process;
        if (t.kind() == GatewayTarget.Kind.PROGRAM) {
            Path template = options.targetsFile().toAbsolutePath().getParent().resolve(t.template());
            if (!Files.isReadable(template)) {
                throw new BenchException("target " + t.name() + ": " + template + " is not a readable file");
            }
            String name = template.getFileName().toString();
            Path config = options.outDir().resolve("gateway-" + t.name()
                    + (name.contains(".") ? name.substring(name.lastIndexOf('.')) : ".conf"));
            Files.writeString(config, fill(Files.readString(template), p.vars(), template.toString()));
            Map<String, String> vars = new LinkedHashMap<>(p.vars());
            vars.put("config", config.toString());
            List<String> command = t.command().stream()
                    .map(a -> fill(a, vars, options.targetsFile() + " (" + t.name() + ")")).toList();
            Files.writeString(options.outDir().resolve("gateway-" + t.name() + ".args"), String.join("\n", command));
            process = GatewayProcess.startProgram(t.name(), command, log, gatewayCpus());
        } else if (t.kind() == GatewayTarget.Kind.YAML) {
            Path template = options.targetsFile().toAbsolutePath().getParent().resolve(t.arguments().get(0));
            if (!Files.isReadable(template)) {
                throw new BenchException("target " + t.name() + ": " + template + " is not a readable file");
            }
            Path config = options.outDir().resolve("gateway-" + t.name() + ".yaml");
            Files.writeString(config, fill(Files.readString(template), p.vars(), template.toString()));
            // The production entry point, as the distribution runs it: brokerlink gateway --config FILE.
            process = GatewayProcess.start(t.name(), jvm, CLI_MAIN, List.of("gateway", "--config", config.toString()),
                    log, gatewayCpus());
        } else {
            List<String> args = t.arguments().stream()
                    .map(a -> fill(a, p.vars(), options.targetsFile() + " (" + t.name() + ")")).toList();
            Files.writeString(options.outDir().resolve("gateway-" + t.name() + ".args"), String.join("\n", args));
            process = GatewayProcess.start(t.name(), jvm, CLI_MAIN, args, log, gatewayCpus());
        }
        process.awaitListening(p.brokerAddresses(), 90);
        log("gateway " + t.name() + " (pid " + process.pid() + ") listening on " + p.brokerAddresses());
        return process;
    }

    /** The hosts file that leads {@code target}'s clients to it. */
    private Path hostsFileFor(String target) {
        return target.equals(Baselines.DIRECT_EXTERNAL) ? brokersHostsFile : ownHostsFiles.getOrDefault(target, hostsFile);
    }

    /** A tool's JVM options for measuring {@code target}: its hosts file decides where the advertised names lead. */
    private List<String> toolJvm(String target) {
        return toolJvm(hostsFileFor(target));
    }

    /** A tool's JVM options with its clients resolving names through {@code hosts}. */
    private static List<String> toolJvm(Path hosts) {
        List<String> jvm = new ArrayList<>(TOOL_JVM);
        jvm.add("-Djdk.net.hosts.file=" + hosts);
        jvm.add("-Dsun.net.inetaddr.ttl=0");
        return jvm;
    }

    /**
     * One ProducerPerformance run. With {@code warmupRecords} > 0 its figure is the tool's steady-state line: the
     * records after the first {@code warmupRecords}, past the producer JVM's start, JIT and first metadata.
     */
    private ProduceResult produce(String label, String target, String bootstrap, long records, long warmupRecords,
                                  int throughput, List<String> props)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--topic", TOPIC, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(RECORD_SIZE), "--throughput", Integer.toString(throughput),
                "--bootstrap-server", bootstrap));
        if (warmupRecords > 0) {
            args.addAll(List.of("--warmup-records", Long.toString(warmupRecords)));
        }
        args.addAll(List.of("--command-property", "acks=all", "client.id=bench-" + label));
        args.addAll(props);
        String out = ChildJvm.run(toolJvm(target), "org.apache.kafka.tools.ProducerPerformance", args,
                options.outDir().resolve(label + ".log"), 600);
        return warmupRecords > 0 ? ProduceResult.parseSteadyState(out) : ProduceResult.parse(out);
    }

    /**
     * The latency phase of a round: one {@link LatencyProbe} JVM measures every target it can reach in interleaved
     * slices, so that all of them meet the same background load. A JVM has one hosts file, so it leads the endpoint
     * names to one target that forwards by port: each further one gets a probe JVM of its own straight after, measured
     * alone (compared with direct of the first probe, not interleaved with it).
     */
    private Map<String, LatencyResult> latencyPhase(int round, List<String> order, Map<String, String> bootstrap)
            throws IOException, InterruptedException {
        List<String> together = order.stream().filter(t -> !ownHostsFiles.containsKey(t)).toList();
        Map<String, LatencyResult> measured = new LinkedHashMap<>(latency("r" + round + "-latency", together,
                hostsFile, bootstrap));
        for (String alone : ownHostsFiles.keySet()) {
            measured.putAll(latency("r" + round + "-latency-" + alone, List.of(alone), ownHostsFiles.get(alone),
                    bootstrap));
        }
        Map<String, LatencyResult> inOrder = new LinkedHashMap<>();
        order.forEach(t -> inOrder.put(t, measured.get(t)));
        return inOrder;
    }

    /**
     * One {@link LatencyProbe} JVM measuring {@code order} in interleaved slices, its clients resolving names through
     * {@code hosts}. Each target first gets 3 s of warm-up records at the rate.
     */
    private Map<String, LatencyResult> latency(String label, List<String> order, Path hosts,
                                               Map<String, String> bootstrap)
            throws IOException, InterruptedException {
        long warmup = options.latencyWarmupRecords();
        List<String> args = new ArrayList<>(List.of("--topic", TOPIC, "--record-size", Integer.toString(RECORD_SIZE),
                "--rate", Integer.toString(options.latencyRate()), "--records", Long.toString(options.latencyRecords()),
                "--slices", Integer.toString(options.latencySlices()), "--warmup-records", Long.toString(warmup),
                "--tick-us", Long.toString(options.latencyTickMicros()), "--client-id", "bench-" + label));
        for (String t : order) {
            args.add("--target");
            args.add(t + "=" + bootstrap.get(t));
        }
        // The schedule alone takes (warm-up + records) / rate per target; the rest is headroom for a loaded machine.
        long seconds = (warmup + options.latencyRecords()) * order.size() / options.latencyRate();
        Path log = options.outDir().resolve(label + ".log");
        List<String> jvm = toolJvm(hosts); // the probe measures no direct-external
        // The probe's own collections pause its callbacks, and so set a slice's p99 for whichever target it measured:
        // under G1 (run 13) 6 of direct's 24 slices had a probe pause of up to 18 ms. ZGC's stay under 1 ms; logged
        // either way, to tell the probe's pauses from the brokers' and the gateways'.
        jvm.replaceAll(o -> o.equals("-XX:+UseG1GC") ? "-XX:+UseZGC" : o);
        jvm.add("-Xlog:gc,safepoint:file=" + options.outDir().resolve(label + "-jvm.log") + ":utctime,uptimemillis,tags");
        String out = ChildJvm.run(jvm, LatencyProbe.class.getName(), args, log, 300 + 3 * seconds);
        Map<String, LatencyResult> measured = LatencyResult.parseProbeOutput(out, log.toString());
        if (!List.copyOf(measured.keySet()).equals(order)) {
            throw new BenchException(log + ": the latency probe measured " + measured.keySet() + ", not " + order);
        }
        return measured;
    }

    private ConsumeResult consume(String label, String target, String bootstrap, long records)
            throws IOException, InterruptedException {
        List<String> args = List.of("--bootstrap-server", bootstrap, "--topic", TOPIC,
                "--num-records", Long.toString(records), "--group", "bench-" + label + "-" + System.nanoTime(),
                "--timeout", "30000");
        String out = ChildJvm.run(toolJvm(target), "org.apache.kafka.tools.ConsumerPerformance", args,
                options.outDir().resolve(label + ".log"), 600);
        ConsumeResult r = ConsumeResult.parse(out);
        if (r.records() < records) {
            throw new BenchException(label + ": consumed " + r.records() + " of " + records + " records; see "
                    + options.outDir().resolve(label + ".log"));
        }
        return r;
    }

    private void measureHeap(Placed p, GatewayProcess gateway) throws IOException, InterruptedException {
        String name = p.target().name();
        HeapProbe.Reading before = HeapProbe.afterFullGc(gateway.pid(), options.outDir());
        log(String.format("heap %s: %.1f MiB used after GC with no client connections (RSS %.0f MiB)", name,
                before.heapUsedMiB(), before.rssMiB()));
        try (IdleClients clients = IdleClients.open(p.brokerAddresses(), options.idleConnections())) {
            TimeUnit.SECONDS.sleep(2);
            HeapProbe.Reading with = HeapProbe.afterFullGc(gateway.pid(), options.outDir());
            log(String.format("heap %s: %.1f MiB used after GC with %d idle client connections (RSS %.0f MiB)", name,
                    with.heapUsedMiB(), clients.size(), with.rssMiB()));
            results.heap(name, before, with, clients.size());
        }
    }

    private void createTopic(SandboxCluster cluster) throws Exception {
        // Retention keeps about twice what one consume run reads, so the disk holds a bounded amount.
        long keepPerPartition = Math.max(256L << 20, 2 * options.consumeRecords() * (RECORD_SIZE + 100) / PARTITIONS);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.internalBootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, REPLICATION).configs(Map.of(
                    "retention.bytes", Long.toString(keepPerPartition),
                    "segment.bytes", Integer.toString(64 << 20))))).all().get(60, TimeUnit.SECONDS);
        }
        log("topic " + TOPIC + ": " + PARTITIONS + " partitions, replication factor " + REPLICATION);
    }

    /**
     * The clients' hosts files. In the shared one every target's advertised names lead to its gateway, and the
     * endpoint names (what the brokers advertise) to the first target that forwards by port. Each further target that
     * forwards by port gets a file of its own leading the endpoint names to it; in direct-external's they lead to the
     * brokers' own addresses, where the brokers bind their EXTERNAL listeners on the same ports.
     */
    private void writeHostsFiles(List<Placed> placed, List<String> nodeAddresses) throws IOException {
        StringBuilder shared = new StringBuilder("127.0.0.1 localhost\n");
        boolean endpointTaken = false;
        for (Placed p : placed) {
            if (!p.byPort() || !endpointTaken) {
                shared.append(namesTo(p));
                endpointTaken |= p.byPort();
            } else {
                Path own = options.outDir().resolve("hosts-" + p.target().name());
                Files.writeString(own, "127.0.0.1 localhost\n" + namesTo(p));
                ownHostsFiles.put(p.target().name(), own);
            }
        }
        StringBuilder brokers = new StringBuilder("127.0.0.1 localhost\n");
        for (int n = 1; n <= NODES; n++) {
            brokers.append(nodeAddresses.get(n - 1)).append(' ').append(endpointName(n)).append('\n');
        }
        Files.writeString(hostsFile, shared.toString());
        Files.writeString(brokersHostsFile, brokers.toString());
    }

    /** Hosts-file lines leading {@code p}'s advertised names to its address. */
    private static String namesTo(Placed p) {
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= NODES; n++) {
            lines.append(p.listenAddress()).append(' ').append(p.advertisedHost(n)).append('\n');
        }
        return lines.toString();
    }

    /** Node {@code n}'s name as the brokers advertise it on their EXTERNAL listener. */
    static String endpointName(int n) {
        return "b" + n + "." + ENDPOINT + "." + DOMAIN;
    }

    /** {@code count} consecutive ports free on every one of {@code addresses}, from a random start in 20000-30000. */
    private static int freePortRun(List<String> addresses, int count) throws IOException {
        List<InetAddress> binds = new ArrayList<>();
        for (String a : addresses) {
            binds.add(InetAddress.getByName(a));
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            boolean free = true;
            for (int i = 0; i < count && free; i++) {
                for (InetAddress bind : binds) {
                    try (ServerSocket s = new ServerSocket()) {
                        s.setReuseAddress(true);
                        s.bind(new InetSocketAddress(bind, base + i));
                    } catch (IOException e) {
                        free = false;
                        break;
                    }
                }
            }
            if (free) {
                return base;
            }
        }
        throw new BenchException("no " + count + " consecutive free ports on " + addresses + " in 20000-30000");
    }

    /** The IPv4 address {@code n} after {@code address}. */
    static String offset(String address, int n) {
        byte[] b;
        try {
            b = InetAddress.getByName(address).getAddress();
        } catch (IOException e) {
            throw new BenchException("--first-address: \"" + address + "\" is not an IP address");
        }
        if (b.length != 4 || b[0] != 127) {
            throw new BenchException("--first-address: " + address + " is not a loopback IPv4 address; use e.g. 127.0.50.1");
        }
        long a = ((b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL)) + n;
        return "127." + (a >> 16 & 0xff) + "." + (a >> 8 & 0xff) + "." + (a & 0xff);
    }

    static void log(String message) {
        System.err.printf("bench %tT %s%n", System.currentTimeMillis(), message);
    }
}
