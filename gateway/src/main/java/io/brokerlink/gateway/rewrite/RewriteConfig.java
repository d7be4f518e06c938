package io.brokerlink.gateway.rewrite;

import io.brokerlink.core.AdvertisedPattern;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rewrite mode's configuration. Validates itself: a configuration whose ports collide, or whose brokers have no
 * way to get an advertised address, cannot be constructed.
 *
 * @param upstream        bootstrap servers of the real cluster
 * @param listenHost      address the per-broker listeners bind (default {@code 0.0.0.0})
 * @param brokers         explicit per-broker entries (by node id or by upstream address); may be empty
 * @param dynamic         the node-id range served on base + offset ports; null when only explicit entries count
 * @param advertised      how advertised hosts are formed
 * @param metadataRefresh how often upstream metadata is re-read to bind or unbind listeners
 * @param drainTimeout    how long connections of a departed broker may continue before they are closed
 * @param connectTimeout  timeout of a connection to a broker
 * @param maxFrameBytes   largest request or response frame accepted (larger closes that connection)
 * @param fetchEndpoints  how Fetch responses are kept free of broker addresses
 */
public record RewriteConfig(
        List<HostPort> upstream,
        String listenHost,
        List<BrokerMapping> brokers,
        DynamicRange dynamic,
        Advertised advertised,
        Duration metadataRefresh,
        Duration drainTimeout,
        Duration connectTimeout,
        int maxFrameBytes,
        FetchEndpointsMode fetchEndpoints) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

    public RewriteConfig {
        upstream = List.copyOf(Objects.requireNonNull(upstream, "rewrite.upstream"));
        if (upstream.isEmpty()) {
            throw new IllegalArgumentException("rewrite.upstream: is empty; give the cluster's bootstrap servers, "
                    + "e.g. [10.0.0.1:9092, 10.0.0.2:9092]");
        }
        listenHost = listenHost == null || listenHost.isBlank() ? "0.0.0.0" : listenHost;
        brokers = brokers == null ? List.of() : List.copyOf(brokers);
        advertised = advertised == null ? new Advertised(null, null, Map.of()) : advertised;
        metadataRefresh = positive(metadataRefresh, Duration.ofSeconds(30), "rewrite.metadataRefresh");
        drainTimeout = positive(drainTimeout, Duration.ofSeconds(30), "rewrite.drainTimeout");
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(15), "rewrite.connectTimeout");
        if (maxFrameBytes == 0) {
            maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("rewrite.maxFrameBytes: " + maxFrameBytes
                    + " is too small for Kafka frames; use at least 1024 (default " + DEFAULT_MAX_FRAME_BYTES + ")");
        }
        fetchEndpoints = fetchEndpoints == null ? FetchEndpointsMode.SCAN : fetchEndpoints;
        if (brokers.isEmpty() && dynamic == null) {
            throw new IllegalArgumentException("rewrite: neither brokers nor dynamic is set; give a port for each "
                    + "broker (brokers: [{nodeId: 1, listen: 9093}]) or a range (dynamic: {firstNodeId: 1, listenBasePort: 9093})");
        }
        checkPorts(brokers, dynamic);
        checkAdvertisable(brokers, dynamic, advertised);
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

    private static void checkPorts(List<BrokerMapping> brokers, DynamicRange dynamic) {
        Map<Integer, String> byPort = new HashMap<>();
        Map<Integer, Integer> byNode = new HashMap<>();
        Map<String, Integer> byUpstream = new HashMap<>();
        for (int i = 0; i < brokers.size(); i++) {
            BrokerMapping b = brokers.get(i);
            String where = "rewrite.brokers[" + i + "]";
            String previous = byPort.putIfAbsent(b.listen().port(), where);
            if (previous != null) {
                throw new IllegalArgumentException(where + ".listen: port " + b.listen().port()
                        + " is already the port of " + previous + "; every broker needs its own port");
            }
            if (b.nodeId() != null && byNode.putIfAbsent(b.nodeId(), i) != null) {
                throw new IllegalArgumentException(where + ".nodeId: node " + b.nodeId() + " is mapped twice (also "
                        + "rewrite.brokers[" + byNode.get(b.nodeId()) + "])");
            }
            if (b.upstream() != null && byUpstream.putIfAbsent(b.upstream().toString().toLowerCase(java.util.Locale.ROOT), i) != null) {
                throw new IllegalArgumentException(where + ".upstream: " + b.upstream() + " is mapped twice");
            }
            if (dynamic != null && dynamic.containsListenPort(b.listen().port())) {
                throw new IllegalArgumentException(where + ".listen: port " + b.listen().port()
                        + " lies inside rewrite.dynamic's ports " + dynamic.listenBasePort() + ".."
                        + dynamic.lastListenPort() + "; move one of them");
            }
        }
    }

    private static void checkAdvertisable(List<BrokerMapping> brokers, DynamicRange dynamic, Advertised advertised) {
        boolean hasSource = advertised.pattern() != null || advertised.fixedHost() != null;
        for (int i = 0; i < brokers.size(); i++) {
            if (brokers.get(i).advertised() == null && !hasSource) {
                throw new IllegalArgumentException("rewrite.brokers[" + i + "].advertised: not set and there is no "
                        + "rewrite.advertised.pattern or fixedHost to derive it from");
            }
        }
        if (dynamic != null && !hasSource) {
            throw new IllegalArgumentException("rewrite.advertised: rewrite.dynamic needs a pattern (e.g. "
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
                throw new IllegalArgumentException("rewrite.brokers: an entry needs exactly one of nodeId or upstream"
                        + " (listen " + listen + ")");
            }
            if (nodeId != null && nodeId < 0) {
                throw new IllegalArgumentException("rewrite.brokers: nodeId " + nodeId + " is negative");
            }
            Objects.requireNonNull(listen, "rewrite.brokers[].listen");
            if (listen.port() == 0) {
                throw new IllegalArgumentException("rewrite.brokers: listen port 0 is not deterministic; give a port");
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
                throw new IllegalArgumentException("rewrite.dynamic.firstNodeId: " + firstNodeId + " is negative");
            }
            if (listenBasePort < 1 || listenBasePort > 65535) {
                throw new IllegalArgumentException("rewrite.dynamic.listenBasePort: " + listenBasePort
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
                throw new IllegalArgumentException("rewrite.dynamic.count: " + count + " ports from "
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
                throw new IllegalArgumentException("rewrite.advertised.fixedHost: \"" + fixedHost
                        + "\" must be a host name without a port, e.g. brokers.abc.us-west1.gcp.example.com");
            }
            if (pattern != null && fixedHost != null) {
                throw new IllegalArgumentException("rewrite.advertised: set pattern or fixedHost, not both");
            }
            rackToAz = rackToAz == null ? Map.of() : Map.copyOf(rackToAz);
        }
    }
}
