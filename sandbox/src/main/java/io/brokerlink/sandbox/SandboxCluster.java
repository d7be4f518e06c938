package io.brokerlink.sandbox;

import io.brokerlink.core.AdvertisedPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster in this JVM: N nodes, each {@code process.roles=broker,controller}, with the seeds'
 * listeners (INTERNAL, CONTROLLER, EXTERNAL) on the node's own loopback address.
 *
 * <pre>{@code
 * try (SandboxCluster cluster = SandboxCluster.builder().ephemeralPorts().start()) {
 *     Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()));
 *     ...
 * }
 * }</pre>
 *
 * {@link #close()} stops every node in parallel and deletes the data directory unless one was given.
 */
public final class SandboxCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final List<SandboxNode> nodes;
    private final Map<Integer, Properties> nodeConfigs;
    private final Map<String, String> listenerProtocols;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final Map<Integer, KafkaRaftServer> running = new TreeMap<>();
    private boolean closed;

    private static final java.util.concurrent.atomic.AtomicBoolean EXIT_GUARDED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Kafka's fatal-fault handlers call {@code Exit.exit}/{@code Exit.halt}, which would end the whole JVM: every
     * other node, the gateway under test, the test runner. Seen when a node is stopped while its peers are
     * busy. Here a node's request to exit is logged and ends only the thread that asked.
     */
    private static void guardJvmExit() {
        if (EXIT_GUARDED.compareAndSet(false, true)) {
            org.apache.kafka.common.utils.Exit.Procedure refuse = (status, message) -> {
                LOG.error("a Kafka node asked the JVM to exit with status {} ({}); the sandbox keeps running",
                        status, message);
                throw new SandboxException("cluster", "a Kafka node asked the JVM to exit with status " + status
                        + ": " + message);
            };
            org.apache.kafka.common.utils.Exit.setExitProcedure(refuse);
            org.apache.kafka.common.utils.Exit.setHaltProcedure(refuse);
        }
    }

    private SandboxCluster(List<SandboxNode> nodes, Map<Integer, Properties> nodeConfigs,
                           Map<String, String> listenerProtocols, Path dataDir, boolean deleteDataDir) {
        this.nodes = List.copyOf(nodes);
        this.nodeConfigs = nodeConfigs;
        this.listenerProtocols = Collections.unmodifiableMap(listenerProtocols);
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<SandboxNode> nodes() {
        return nodes;
    }

    public SandboxNode node(int nodeId) {
        return nodes.stream().filter(n -> n.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + nodeIds()));
    }

    public List<Integer> nodeIds() {
        return nodes.stream().map(SandboxNode::nodeId).toList();
    }

    /** {@code host:port,...} of every INTERNAL listener: what clients inside the cluster's network use. */
    public String internalBootstrap() {
        return nodes.stream().map(SandboxNode::internal).collect(Collectors.joining(","));
    }

    /** {@code host:port,...} of every EXTERNAL bind address: what a load balancer or gateway targets. */
    public String externalBootstrap() {
        return nodes.stream().map(SandboxNode::externalBind).collect(Collectors.joining(","));
    }

    /** The security protocol of each listener (INTERNAL, CONTROLLER, EXTERNAL and the seeds' extra names). */
    public Map<String, String> listenerProtocols() {
        return listenerProtocols;
    }

    /** The exact broker configuration a node was started with (a copy). */
    public Properties brokerConfig(int nodeId) {
        Properties copy = new Properties();
        copy.putAll(configOf(nodeId));
        return copy;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops one node (a clean, controlled shutdown); the others keep serving. */
    public synchronized void stopNode(int nodeId) {
        KafkaRaftServer server = running.remove(nodeId);
        if (server == null) {
            throw new IllegalStateException("node " + nodeId + " is not running");
        }
        server.shutdown();
        server.awaitShutdown();
    }

    /** Starts a node stopped by {@link #stopNode(int)} again, on the same addresses and data. */
    public synchronized void startNode(int nodeId) {
        if (running.containsKey(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " is already running");
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(configOf(nodeId), false), Time.SYSTEM);
        server.startup();
        running.put(nodeId, server);
    }

    public synchronized boolean isRunning(int nodeId) {
        return running.containsKey(nodeId);
    }

    private Properties configOf(int nodeId) {
        Properties props = nodeConfigs.get(nodeId);
        if (props == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + nodeIds());
        }
        return props;
    }

    private synchronized void startAll() {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size(), daemonThreads("sandbox-start"));
        try {
            // Every node must start at once: a broker's startup waits for the controller quorum it belongs to.
            Map<Integer, CompletableFuture<KafkaRaftServer>> starting = new LinkedHashMap<>();
            for (SandboxNode node : nodes) {
                starting.put(node.nodeId(), CompletableFuture.supplyAsync(() -> {
                    KafkaRaftServer server =
                            new KafkaRaftServer(KafkaConfig.fromProps(configOf(node.nodeId()), false), Time.SYSTEM);
                    synchronized (running) {
                        running.put(node.nodeId(), server);
                    }
                    server.startup();
                    return server;
                }, pool));
            }
            CompletableFuture.allOf(starting.values().toArray(CompletableFuture[]::new))
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SandboxException("cluster", "did not start within " + START_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("cluster", "interrupted while starting");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            throw new SandboxException("cluster", "a node failed to start: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        awaitRegistered();
    }

    /** Startup returns once each broker is unfenced; this proves it from a client's side as well. */
    private void awaitRegistered() {
        if (!"PLAINTEXT".equals(listenerProtocols.get(Builder.INTERNAL))) {
            return; // a secured INTERNAL listener needs client credentials the cluster does not have
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap(),
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (true) {
                int registered;
                try {
                    registered = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                } catch (Exception e) {
                    registered = -1;
                }
                if (registered == nodes.size()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new SandboxException("cluster", "only " + Math.max(registered, 0) + " of " + nodes.size()
                            + " brokers registered within " + START_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("cluster", "interrupted while waiting for brokers to register");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<KafkaRaftServer> servers = new ArrayList<>(running.values());
        running.clear();
        // In parallel: a lone last controller would otherwise wait for a quorum that is already gone.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, servers.size()), daemonThreads("sandbox-stop"));
        try {
            CompletableFuture<?>[] stops = servers.stream()
                    .map(s -> CompletableFuture.runAsync(() -> {
                        s.shutdown();
                        s.awaitShutdown();
                    }, pool))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(stops).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("sandbox nodes did not all stop cleanly: {}", e.toString());
        } finally {
            pool.shutdownNow();
        }
        if (deleteDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }

    /**
     * Lays a cluster out and starts it. Defaults are the reference scenario: 3 nodes on 127.0.1.1..3 with the
     * seeds' ports (INTERNAL 9092, CONTROLLER 29092, EXTERNAL 39092), zones usw2-az1..3, advertised ports from 9093.
     */
    public static final class Builder {
        public static final String INTERNAL = "INTERNAL";
        public static final String CONTROLLER = "CONTROLLER";
        public static final String EXTERNAL = "EXTERNAL";
        public static final List<String> REFERENCE_ZONES = List.of("usw2-az1", "usw2-az2", "usw2-az3");

        private int brokers = 3;
        private List<String> addresses;
        private String firstAddress = "127.0.1.1";
        private int internalPort = 9092;
        private int controllerPort = 29092;
        private int externalPort = 39092;
        private boolean ephemeralPorts;
        private boolean externalOnAdvertisedPorts;
        private AdvertisedPattern pattern = AdvertisedPattern.REFERENCE;
        private List<String> zones = REFERENCE_ZONES;
        private int advertisedPortBase = 9093;
        private Path dataDir;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<Integer, Map<String, String>> nodeProperties = new TreeMap<>();
        private final Map<String, String> listenerProtocols = new LinkedHashMap<>();

        private Builder() {
            // The seeds' listener.security.protocol.map, value for value.
            listenerProtocols.put(INTERNAL, "PLAINTEXT");
            listenerProtocols.put(CONTROLLER, "PLAINTEXT");
            listenerProtocols.put(EXTERNAL, "PLAINTEXT");
            listenerProtocols.put("SSL", "SSL");
            listenerProtocols.put("SASL_PLAINTEXT", "SASL_PLAINTEXT");
            listenerProtocols.put("SASL_SSL", "SASL_SSL");
        }

        /** Number of nodes, node ids 1..n. */
        public Builder brokers(int count) {
            if (count < 1) {
                throw new SandboxException("brokers", count + " is not a valid count; use 1 or more");
            }
            this.brokers = count;
            return this;
        }

        /** First loopback address; node n gets the address n-1 further on (127.0.1.1, 127.0.1.2, ...). */
        public Builder firstAddress(String address) {
            this.firstAddress = address;
            this.addresses = null;
            return this;
        }

        /** One explicit address per node, in node-id order. */
        public Builder addresses(List<String> addresses) {
            this.addresses = List.copyOf(addresses);
            return this;
        }

        public Builder internalPort(int port) {
            this.internalPort = checkPort("internal port", port);
            return this;
        }

        public Builder controllerPort(int port) {
            this.controllerPort = checkPort("controller port", port);
            return this;
        }

        public Builder externalPort(int port) {
            this.externalPort = checkPort("external port", port);
            return this;
        }

        /**
         * Free ports chosen at start instead of the seeds' fixed ones, so that several clusters (parallel test
         * runs, a running demo) can share one machine.
         */
        public Builder ephemeralPorts() {
            this.ephemeralPorts = true;
            return this;
        }

        /**
         * Each node binds its EXTERNAL listener on the port it advertises (node n: the advertised port base + n - 1)
         * instead of the external port, on its own address. A client that resolves the advertised names to the
         * nodes' own addresses then reaches the EXTERNAL listener directly, with no load balancer: the benchmark's
         * baseline for a portmap gateway, which listens on those same ports on another address.
         */
        public Builder externalOnAdvertisedPorts() {
            this.externalOnAdvertisedPorts = true;
            return this;
        }

        public Builder pattern(String pattern) {
            try {
                return pattern(new AdvertisedPattern(pattern));
            } catch (IllegalArgumentException e) {
                throw new SandboxException("pattern", e.getMessage());
            }
        }

        public Builder pattern(AdvertisedPattern pattern) {
            this.pattern = pattern;
            return this;
        }

        /** Zones assigned round-robin to nodes; a node's zone is its {@code broker.rack}. */
        public Builder zones(List<String> zones) {
            if (zones.isEmpty() || zones.stream().anyMatch(z -> z == null || z.isBlank())) {
                throw new SandboxException("zones", zones + " must be one or more non-empty zone ids");
            }
            this.zones = List.copyOf(zones);
            return this;
        }

        /** Advertised EXTERNAL port of node 1; node n advertises base + n - 1. */
        public Builder advertisedPortBase(int port) {
            this.advertisedPortBase = checkPort("advertised port base", port);
            return this;
        }

        /** Keep data in this directory (created if missing, not deleted on close). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** An extra broker property for every node (overrides the layout's value of the same key). */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.putAll(properties);
            return this;
        }

        /** An extra broker property for one node only. */
        public Builder nodeProperty(int nodeId, String key, String value) {
            nodeProperties.computeIfAbsent(nodeId, id -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Security protocol of one listener, e.g. {@code listenerSecurity("EXTERNAL", "SASL_SSL")}. */
        public Builder listenerSecurity(String listener, String securityProtocol) {
            if (!org.apache.kafka.common.security.auth.SecurityProtocol.names().contains(securityProtocol)) {
                throw new SandboxException("listener security", "\"" + securityProtocol + "\" is not one of "
                        + org.apache.kafka.common.security.auth.SecurityProtocol.names());
            }
            listenerProtocols.put(listener.toUpperCase(java.util.Locale.ROOT), securityProtocol);
            return this;
        }

        /** The nodes as they will be laid out (ports still 0 where ephemeral). */
        public List<SandboxNode> layout() {
            List<String> nodeAddresses = nodeAddresses();
            List<SandboxNode> out = new ArrayList<>();
            for (int i = 0; i < brokers; i++) {
                int nodeId = i + 1;
                String zone = zones.get(i % zones.size());
                int advertisedPort = advertisedPortBase + i;
                if (advertisedPort > 65535) {
                    throw new SandboxException("advertised port base", advertisedPortBase + " + "
                            + brokers + " brokers passes 65535; use a base of at most " + (65536 - brokers));
                }
                int external = externalOnAdvertisedPorts ? advertisedPort : ephemeralPorts ? 0 : externalPort;
                out.add(new SandboxNode(nodeId, zone, nodeAddresses.get(i),
                        ephemeralPorts ? 0 : internalPort, ephemeralPorts ? 0 : controllerPort,
                        external, pattern.host(nodeId, zone), advertisedPort));
            }
            return out;
        }

        private List<String> nodeAddresses() {
            if (addresses != null) {
                if (addresses.size() < brokers) {
                    throw new SandboxException("addresses", addresses.size() + " given for "
                            + brokers + " brokers; give one per broker");
                }
                return addresses.subList(0, brokers);
            }
            byte[] first;
            try {
                first = InetAddress.getByName(firstAddress).getAddress();
            } catch (IOException e) {
                throw new SandboxException("first address", "\"" + firstAddress + "\" is not an IP address");
            }
            if (first.length != 4 || first[0] != 127) {
                throw new SandboxException("first address", firstAddress
                        + " is not a loopback IPv4 address; use one in 127.0.0.0/8 such as 127.0.1.1");
            }
            List<String> out = new ArrayList<>();
            long base = ((first[1] & 0xffL) << 16) | ((first[2] & 0xffL) << 8) | (first[3] & 0xffL);
            for (int i = 0; i < brokers; i++) {
                long a = base + i;
                if (a > 0xfffffeL) {
                    throw new SandboxException("first address", firstAddress + " leaves no room for "
                            + brokers + " consecutive loopback addresses");
                }
                out.add("127." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff));
            }
            return out;
        }

        /**
         * Everything that can be wrong with the input, checked before anything starts: the layout, every port free,
         * the data directory creatable and writable. {@link #start()} runs it again.
         */
        public List<SandboxNode> preflight() {
            List<SandboxNode> nodes = layout();
            for (SandboxNode n : nodes) {
                if (!ephemeralPorts) {
                    checkBindable(n.address(), n.internalPort(), "internal port");
                    checkBindable(n.address(), n.controllerPort(), "controller port");
                }
                if (!ephemeralPorts || externalOnAdvertisedPorts) {
                    checkBindable(n.address(), n.externalPort(), externalOnAdvertisedPorts
                            ? "advertised port (the EXTERNAL listener binds it)" : "external port");
                }
            }
            if (dataDir != null) {
                try {
                    Files.createDirectories(dataDir);
                } catch (IOException e) {
                    throw new SandboxException("data dir", "cannot create " + dataDir + " ("
                            + e.getClass().getSimpleName() + "); give a writable directory");
                }
                if (!Files.isWritable(dataDir)) {
                    throw new SandboxException("data dir", dataDir + " is not writable; give a writable directory");
                }
            }
            return nodes;
        }

        /** Formats storage and starts every node; returns once all brokers are registered. */
        public SandboxCluster start() {
            List<SandboxNode> nodes = preflight();
            guardJvmExit();
            if (ephemeralPorts) {
                nodes = nodes.stream().map(n -> {
                    int[] ports = freePorts(n.address(), externalOnAdvertisedPorts ? 2 : 3);
                    return new SandboxNode(n.nodeId(), n.zone(), n.address(), ports[0], ports[1],
                            externalOnAdvertisedPorts ? n.externalPort() : ports[2], n.advertisedHost(),
                            n.advertisedPort());
                }).toList();
            }
            Path dir;
            boolean delete = dataDir == null;
            try {
                dir = delete ? Files.createTempDirectory("brokerlink-sandbox-") : dataDir;
            } catch (IOException e) {
                throw new SandboxException("data dir", "cannot create a temporary directory (" + e.getMessage()
                        + "); set TMPDIR to a writable directory or give --data-dir");
            }
            String clusterId = existingClusterId(dir);
            Map<Integer, Properties> configs = new TreeMap<>();
            for (SandboxNode n : nodes) {
                configs.put(n.nodeId(), brokerConfig(n, nodes, dir));
            }
            SandboxCluster cluster = new SandboxCluster(nodes, configs, new LinkedHashMap<>(listenerProtocols), dir,
                    delete);
            try {
                for (SandboxNode n : nodes) {
                    format(configs.get(n.nodeId()), n.nodeId(), clusterId);
                }
                cluster.startAll();
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        }

        private Properties brokerConfig(SandboxNode node, List<SandboxNode> all, Path dir) {
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", Integer.toString(node.nodeId()));
            p.put("controller.quorum.voters", all.stream()
                    .map(n -> n.nodeId() + "@" + n.controller()).collect(Collectors.joining(",")));
            p.put("listeners", INTERNAL + "://" + node.internal() + "," + CONTROLLER + "://" + node.controller()
                    + "," + EXTERNAL + "://" + node.externalBind());
            p.put("inter.broker.listener.name", INTERNAL);
            p.put("advertised.listeners", INTERNAL + "://" + node.internal() + "," + EXTERNAL + "://"
                    + node.advertisedExternal());
            p.put("controller.listener.names", CONTROLLER);
            p.put("listener.security.protocol.map", listenerProtocols.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",")));
            p.put("log.dirs", dir.resolve("node-" + node.nodeId()).toString());
            p.put("broker.rack", node.zone());
            // A small machine: few threads, quick group joins, replication factor 3 when there are 3 nodes.
            int rf = Math.min(3, all.size());
            p.put("offsets.topic.replication.factor", Integer.toString(rf));
            p.put("offsets.topic.num.partitions", "6");
            p.put("transaction.state.log.replication.factor", Integer.toString(rf));
            p.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, rf)));
            p.put("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
            p.put("share.coordinator.state.topic.min.isr", Integer.toString(Math.min(2, rf)));
            p.put("default.replication.factor", Integer.toString(rf));
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "4");
            p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
            p.put("auto.create.topics.enable", "true");
            p.put("controlled.shutdown.enable", "true");
            p.putAll(brokerProperties);
            p.putAll(nodeProperties.getOrDefault(node.nodeId(), Map.of()));
            return p;
        }

        private static void format(Properties props, int nodeId, String clusterId) {
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            String logDir = config.logDirs().get(0);
            if (Files.exists(Path.of(logDir, "meta.properties"))) {
                return; // a kept data directory: start on what is there
            }
            try {
                new Formatter()
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setClusterId(clusterId)
                        .setNodeId(nodeId)
                        .setDirectories(config.logDirs())
                        .setMetadataLogDirectory(config.metadataLogDir())
                        .setControllerListenerName(CONTROLLER)
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setUnstableFeatureVersionsEnabled(false)
                        .setIgnoreFormatted(true)
                        .run();
            } catch (Exception e) {
                throw new SandboxException("data dir", "formatting storage of node " + nodeId + " in " + logDir + " failed: "
                        + e.getMessage(), e);
            }
        }

        /** A kept data directory keeps its cluster id, so the nodes can start on their old logs. */
        private static String existingClusterId(Path dir) {
            Path marker = dir.resolve("cluster.id");
            try {
                if (Files.exists(marker)) {
                    return Files.readString(marker).trim();
                }
                String id = Uuid.randomUuid().toString();
                Files.writeString(marker, id);
                return id;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static int checkPort(String what, int port) {
            if (port < 1 || port > 65535) {
                throw new SandboxException(what, port + " is not a port; use 1 to 65535");
            }
            return port;
        }

        private static void checkBindable(String address, int port, String what) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                throw new SandboxException(what, address + ":" + port + " is not free (" + e.getMessage()
                        + "); stop what uses it or choose another port");
            }
        }

        /** Distinct free ports: all sockets stay open until every port is chosen, so none is handed out twice. */
        private static int[] freePorts(String address, int count) {
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    ServerSocket socket = new ServerSocket();
                    sockets.add(socket);
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(address, 0));
                    ports[i] = socket.getLocalPort();
                }
                return ports;
            } catch (IOException e) {
                throw new SandboxException("address", "cannot find a free port on " + address + ": " + e.getMessage());
            } finally {
                for (ServerSocket socket : sockets) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket we just opened
                    }
                }
            }
        }
    }
}
