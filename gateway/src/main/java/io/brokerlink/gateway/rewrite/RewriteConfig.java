package io.brokerlink.gateway.rewrite;


import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.ConfigList;
import io.brokerlink.gateway.config.ConfigMap;
import io.brokerlink.gateway.config.ConfigNode;
import io.brokerlink.gateway.config.ConfigScalar;
import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.config.GatewayMode;
import io.brokerlink.gateway.tls.ListenerTls;
import io.brokerlink.gateway.tls.TlsConfigReader;
import io.brokerlink.gateway.tls.UpstreamTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rewrite mode's configuration. Validates itself: a configuration whose ports collide, or whose brokers have no
 * way to get an advertised address, cannot be constructed.
 *
 * @param common          settings every mode has (admin endpoint, drain timeout on shutdown)
 * @param upstream        bootstrap servers of the real cluster
 * @param listenHost      address the per-broker listeners bind (default {@code 0.0.0.0})
 * @param brokers         explicit per-broker entries (by node id or by upstream address); may be empty
 * @param dynamic         the node-id range served on base + offset ports; null when only explicit entries count
 * @param advertised      how advertised hosts are formed
 * @param metadataRefresh how often upstream metadata is re-read to bind or unbind listeners
 * @param connectTimeout  timeout of the metadata client's requests (client connections to a broker use
 *                        {@code upstream-connect-timeout-ms})
 * @param maxFrameBytes   largest request or response frame accepted (larger closes that connection)
 * @param fetchEndpoints  how Fetch responses are kept free of broker addresses
 * @param metadataClient  the gateway's own client settings toward the cluster (SASL credentials of its metadata
 *                        Admin); {@link MetadataClient#NONE} for a PLAINTEXT cluster
 * @param listenerTls     TLS toward clients on every listener; null for plaintext listeners
 * @param upstreamTls     TLS toward brokers (proxied connections and the metadata client); null for plaintext
 */
public record RewriteConfig(
        CommonSettings common,
        List<HostPort> upstream,
        String listenHost,
        List<BrokerMapping> brokers,
        DynamicRange dynamic,
        Advertised advertised,
        Duration metadataRefresh,
        Duration connectTimeout,
        int maxFrameBytes,
        FetchEndpointsMode fetchEndpoints,
        MetadataClient metadataClient,
        ListenerTls listenerTls,
        UpstreamTls upstreamTls) implements GatewayConfig {

    public static final int DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

    /** A configuration whose metadata client needs no settings, plaintext on both legs (a PLAINTEXT cluster). */
    public RewriteConfig(CommonSettings common, List<HostPort> upstream, String listenHost, List<BrokerMapping> brokers,
                         DynamicRange dynamic, Advertised advertised, Duration metadataRefresh, Duration connectTimeout,
                         int maxFrameBytes, FetchEndpointsMode fetchEndpoints) {
        this(common, upstream, listenHost, brokers, dynamic, advertised, metadataRefresh, connectTimeout, maxFrameBytes,
                fetchEndpoints, MetadataClient.NONE, null, null);
    }

    /** The same configuration with other common settings (the command line's --admin-bind). */
    public RewriteConfig withCommon(CommonSettings settings) {
        return new RewriteConfig(settings, upstream, listenHost, brokers, dynamic, advertised, metadataRefresh,
                connectTimeout, maxFrameBytes, fetchEndpoints, metadataClient, listenerTls, upstreamTls);
    }

    /** The same configuration with other metadata client settings. */
    public RewriteConfig withMetadataClient(MetadataClient client) {
        return new RewriteConfig(common, upstream, listenHost, brokers, dynamic, advertised, metadataRefresh,
                connectTimeout, maxFrameBytes, fetchEndpoints, client, listenerTls, upstreamTls);
    }

    /** The same configuration with TLS on the client leg ({@code listener}) and the broker leg ({@code upstream}). */
    public RewriteConfig withTls(ListenerTls listener, UpstreamTls upstream) {
        return new RewriteConfig(common, this.upstream, listenHost, brokers, dynamic, advertised, metadataRefresh,
                connectTimeout, maxFrameBytes, fetchEndpoints, metadataClient, listener, upstream);
    }

    public RewriteConfig {
        common = common == null ? CommonSettings.DEFAULT : common;
        upstream = List.copyOf(Objects.requireNonNull(upstream, "rewrite.upstream"));
        if (upstream.isEmpty()) {
            throw new IllegalArgumentException("bootstrap-servers: is empty; give the cluster's bootstrap servers, "
                    + "e.g. [10.0.0.1:9092, 10.0.0.2:9092]");
        }
        listenHost = listenHost == null || listenHost.isBlank() ? "0.0.0.0" : listenHost;
        brokers = brokers == null ? List.of() : List.copyOf(brokers);
        advertised = advertised == null ? new Advertised(null, null, Map.of()) : advertised;
        metadataRefresh = positive(metadataRefresh, Duration.ofSeconds(30), "metadata-refresh-ms");
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(15), "connect-timeout-ms");
        if (maxFrameBytes == 0) {
            maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("max-frame-bytes: " + maxFrameBytes
                    + " is too small for Kafka frames; use at least 1024 (default " + DEFAULT_MAX_FRAME_BYTES + ")");
        }
        fetchEndpoints = fetchEndpoints == null ? FetchEndpointsMode.DEFAULT : fetchEndpoints;
        metadataClient = metadataClient == null ? MetadataClient.NONE : metadataClient;
        if (brokers.isEmpty() && dynamic == null) {
            throw new IllegalArgumentException("rewrite mode: neither brokers nor dynamic is set; give a port for each "
                    + "broker (brokers: [{node-id: 1, listen: 9093}]) or a range (dynamic: {first-node-id: 1, listen-base-port: 9093})");
        }
        checkMetadataClientProtocol(metadataClient, upstreamTls);
        checkPorts(brokers, dynamic);
        checkAdvertisable(brokers, dynamic, advertised);
    }

    @Override
    public GatewayMode mode() {
        return GatewayMode.REWRITE;
    }

    /**
     * Reads the rewrite-mode keys of the root map (the common keys are already read). Keys:
     * {@code bootstrap-servers}, {@code listen-host}, {@code brokers}, {@code dynamic}, {@code advertised},
     * {@code metadata-refresh-ms}, {@code connect-timeout-ms}, {@code max-frame-bytes}, {@code fetch-endpoints},
     * {@code metadata-client}, {@code listener-tls}, {@code upstream-tls} (TLS read and loaded once by
     * {@link TlsConfigReader}).
     */
    public static RewriteConfig read(ConfigMap root, CommonSettings common) {
        ConfigList servers = root.list("bootstrap-servers");
        if (servers.items().isEmpty()) {
            throw servers.error("is empty; give at least one host:port of the cluster");
        }
        List<HostPort> upstream = new ArrayList<>();
        for (ConfigNode item : servers.items()) {
            upstream.add(hostPort(item, 1));
        }
        String listenHost = root.optionalString("listen-host").orElse("0.0.0.0");
        List<BrokerMapping> brokers = new ArrayList<>();
        if (root.optional("brokers").isPresent()) {
            for (ConfigMap b : root.list("brokers").maps()) {
                Integer nodeId = b.optional("node-id").isPresent()
                        ? b.integer("node-id", 0, Integer.MAX_VALUE, "is not a node id (0 or more)") : null;
                HostPort up = b.optional("upstream").map(n -> hostPort(n, 1)).orElse(null);
                ConfigNode listenNode = b.required("listen");
                HostPort listen = listenNode instanceof ConfigScalar sc && sc.type() == ConfigScalar.Type.INTEGER
                        ? new HostPort(listenHost, b.port("listen")) : hostPort(listenNode, 1);
                HostPort adv = b.optional("advertised").map(n -> hostPort(n, 1)).orElse(null);
                b.rejectUnknownKeys();
                try {
                    brokers.add(new BrokerMapping(nodeId, up, listen, adv));
                } catch (IllegalArgumentException e) {
                    throw b.error(e.getMessage());
                }
            }
        }
        DynamicRange dynamic = root.optionalMap("dynamic").map(d -> {
            DynamicRange r;
            try {
                r = new DynamicRange(d.integer("first-node-id", 0, Integer.MAX_VALUE, "is not a node id (0 or more)"),
                        d.port("listen-base-port"),
                        d.integer("advertised-base-port", 0, 0, 65535, "is not a port (1-65535)"),
                        d.integer("count", 0, 0, 65535, "is not a number of ports (1-65535)"));
            } catch (IllegalArgumentException e) {
                throw d.error(e.getMessage());
            }
            d.rejectUnknownKeys();
            return r;
        }).orElse(null);
        Advertised advertised = root.optionalMap("advertised").map(a -> {
            Map<String, String> rackToAz = new LinkedHashMap<>();
            a.optionalMap("rack-to-az").ifPresent(m -> {
                for (String rack : m.keys()) {
                    rackToAz.put(rack, m.string(rack));
                }
            });
            Advertised r;
            try {
                r = new Advertised(a.optionalString("pattern").orElse(null), a.optionalString("fixed-host").orElse(null),
                        rackToAz);
            } catch (IllegalArgumentException e) {
                throw a.error(e.getMessage());
            }
            a.rejectUnknownKeys();
            return r;
        }).orElse(null);
        int refreshMs = root.integer("metadata-refresh-ms", 30_000, 100, 3_600_000, "is not a refresh period (100-3600000 ms)");
        int connectMs = root.integer("connect-timeout-ms", 15_000, 100, 600_000, "is not a connect timeout (100-600000 ms)");
        int maxFrame = root.integer("max-frame-bytes", DEFAULT_MAX_FRAME_BYTES, 1024, Integer.MAX_VALUE,
                "is not a frame limit (1024 bytes or more)");
        FetchEndpointsMode fetch = root.optionalString("fetch-endpoints").map(f -> switch (f.toLowerCase(Locale.ROOT)) {
            case "scan" -> FetchEndpointsMode.SCAN;
            case "cap-v15" -> FetchEndpointsMode.CAP_V15;
            default -> throw root.required("fetch-endpoints").error("\"" + f + "\" is not a Fetch mode; use scan or cap-v15");
        }).orElse(FetchEndpointsMode.DEFAULT);
        MetadataClient metadataClient = root.optionalMap("metadata-client").map(MetadataClient::read)
                .orElse(MetadataClient.NONE);
        ListenerTls listenerTls = root.optionalMap("listener-tls").map(TlsConfigReader::listener).orElse(null);
        UpstreamTls upstreamTls = root.optionalMap("upstream-tls").map(TlsConfigReader::upstream).orElse(null);
        try {
            return new RewriteConfig(common, upstream, listenHost, brokers, dynamic, advertised,
                    Duration.ofMillis(refreshMs), Duration.ofMillis(connectMs), maxFrame, fetch, metadataClient,
                    listenerTls, upstreamTls);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(root.location() + " " + e.getMessage());
        }
    }

    private static HostPort hostPort(ConfigNode node, int minPort) {
        if (!(node instanceof ConfigScalar scalar)) {
            throw node.error("is " + node.kind() + "; expected host:port");
        }
        try {
            return HostPort.parse(scalar.text(), minPort);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** How long a departed broker's connections may continue, and a graceful shutdown waits. */
    public Duration drainTimeout() {
        return common.drainTimeout();
    }

    private static Duration positive(Duration d, Duration dflt, String field) {
        if (d == null) {
            return dflt;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": " + d + " must be positive, e.g. " + dflt);
        }
        return d;
    }

    /**
     * The metadata client's transport follows {@code upstream-tls}, given once for it and every proxied connection;
     * its SASL settings decide SASL_SSL over SSL. An explicit {@code security.protocol} must agree.
     */
    private static void checkMetadataClientProtocol(MetadataClient client, UpstreamTls tls) {
        String given = client.properties().get("security.protocol");
        if (given == null) {
            return;
        }
        boolean ssl = given.toUpperCase(Locale.ROOT).endsWith("SSL");
        if (ssl && tls == null) {
            throw new IllegalArgumentException("metadata-client.security.protocol: " + given + " needs upstream-tls: "
                    + "the TLS settings toward brokers (trust, host-name check, client certificate) are given once "
                    + "there, for the metadata client and every proxied connection");
        }
        if (!ssl && tls != null) {
            throw new IllegalArgumentException("metadata-client.security.protocol: " + given + " contradicts "
                    + "upstream-tls, which makes every broker connection TLS; use "
                    + (client.usesSasl() ? "SASL_SSL" : "SSL") + " or leave security.protocol out");
        }
    }

    private static void checkPorts(List<BrokerMapping> brokers, DynamicRange dynamic) {
        Map<Integer, String> byPort = new HashMap<>();
        Map<Integer, Integer> byNode = new HashMap<>();
        Map<String, Integer> byUpstream = new HashMap<>();
        for (int i = 0; i < brokers.size(); i++) {
            BrokerMapping b = brokers.get(i);
            String where = "brokers[" + i + "]";
            String previous = byPort.putIfAbsent(b.listen().port(), where);
            if (previous != null) {
                throw new IllegalArgumentException(where + ".listen: port " + b.listen().port()
                        + " is already the port of " + previous + "; every broker needs its own port");
            }
            if (b.nodeId() != null && byNode.putIfAbsent(b.nodeId(), i) != null) {
                throw new IllegalArgumentException(where + ".nodeId: node " + b.nodeId() + " is mapped twice (also "
                        + "brokers[" + byNode.get(b.nodeId()) + "])");
            }
            if (b.upstream() != null && byUpstream.putIfAbsent(b.upstream().toString().toLowerCase(java.util.Locale.ROOT), i) != null) {
                throw new IllegalArgumentException(where + ".upstream: " + b.upstream() + " is mapped twice");
            }
            if (dynamic != null && dynamic.containsListenPort(b.listen().port())) {
                throw new IllegalArgumentException(where + ".listen: port " + b.listen().port()
                        + " lies inside dynamic's ports " + dynamic.listenBasePort() + ".."
                        + dynamic.lastListenPort() + "; move one of them");
            }
        }
    }

    private static void checkAdvertisable(List<BrokerMapping> brokers, DynamicRange dynamic, Advertised advertised) {
        boolean hasSource = advertised.pattern() != null || advertised.fixedHost() != null;
        for (int i = 0; i < brokers.size(); i++) {
            if (brokers.get(i).advertised() == null && !hasSource) {
                throw new IllegalArgumentException("brokers[" + i + "].advertised: not set and there is no "
                        + "advertised.pattern or advertised.fixed-host to derive it from");
            }
        }
        if (dynamic != null && !hasSource) {
            throw new IllegalArgumentException("advertised: dynamic needs a pattern (e.g. "
                    + AdvertisedPattern.REFERENCE.text() + ") or a fixedHost");
        }
    }

    /**
     * One broker with an explicit port: identified by node id or by its upstream address (the kafka-proxy way).
     * An address-keyed entry is also a bootstrap listener: it forwards to that address from start-up on.
     */
    public record BrokerMapping(Integer nodeId, HostPort upstream, HostPort listen, HostPort advertised) {
        public BrokerMapping {
            if ((nodeId == null) == (upstream == null)) {
                throw new IllegalArgumentException("brokers: an entry needs exactly one of nodeId or upstream"
                        + " (listen " + listen + ")");
            }
            if (nodeId != null && nodeId < 0) {
                throw new IllegalArgumentException("brokers: nodeId " + nodeId + " is negative");
            }
            Objects.requireNonNull(listen, "brokers[].listen");
            if (listen.port() == 0) {
                throw new IllegalArgumentException("brokers: listen port 0 is not deterministic; give a port");
            }
        }
    }

    /**
     * Node ids {@code firstNodeId .. firstNodeId + count - 1} listen on {@code listenBasePort + (id - firstNodeId)}
     * and advertise {@code advertisedBasePort + (id - firstNodeId)}: a pure function of the node id.
     */
    public record DynamicRange(int firstNodeId, int listenBasePort, int advertisedBasePort, int count) {
        public DynamicRange {
            if (firstNodeId < 0) {
                throw new IllegalArgumentException("dynamic.first-node-id: " + firstNodeId + " is negative");
            }
            if (listenBasePort < 1 || listenBasePort > 65535) {
                throw new IllegalArgumentException("dynamic.listen-base-port: " + listenBasePort
                        + " is not a port; use 1 to 65535");
            }
            if (advertisedBasePort == 0) {
                advertisedBasePort = listenBasePort;
            }
            int room = 65536 - Math.max(listenBasePort, advertisedBasePort);
            if (count == 0) {
                count = room;
            }
            if (count < 1 || count > room) {
                throw new IllegalArgumentException("dynamic.count: " + count + " ports from "
                        + Math.max(listenBasePort, advertisedBasePort) + " pass 65535; use 1 to " + room);
            }
        }

        public boolean containsNode(int nodeId) {
            return nodeId >= firstNodeId && (long) nodeId - firstNodeId < count;
        }

        public boolean containsListenPort(int port) {
            return port >= listenBasePort && port <= lastListenPort();
        }

        public int lastListenPort() {
            return listenBasePort + count - 1;
        }
    }

    /**
     * Advertised hosts: {@code pattern} ({@link AdvertisedPattern} syntax, {@code <az_id>} from the broker's rack
     * through {@code rackToAz}, or the rack itself when the map is empty), else {@code fixedHost} for every
     * broker without an explicit address (the seed's {@code --dynamic-advertised-listener}).
     */
    public record Advertised(String pattern, String fixedHost, Map<String, String> rackToAz) {
        public Advertised {
            if (pattern != null) {
                new AdvertisedPattern(pattern); // validates, message names the pattern
            }
            if (fixedHost != null && (fixedHost.isBlank() || fixedHost.contains(":"))) {
                throw new IllegalArgumentException("advertised.fixed-host: \"" + fixedHost
                        + "\" must be a host name without a port, e.g. brokers.abc.us-west1.gcp.example.com");
            }
            if (pattern != null && fixedHost != null) {
                throw new IllegalArgumentException("advertised: set pattern or fixedHost, not both");
            }
            rackToAz = rackToAz == null ? Map.of() : Map.copyOf(rackToAz);
        }
    }
}
