package io.brokerlink.gateway.rewrite;


import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.core.HostPort;
import java.util.List;
import java.util.Locale;

/**
 * Where a broker is served: a pure function of the configuration and the broker's identity (node id, and for
 * address-keyed entries its upstream address), never of discovery order. So every instance with one config
 * agrees, and an instance that has just started serves any broker's port from the first connection.
 */
public final class NodePortMap {

    /** The outcome for one broker. */
    public sealed interface Placement permits Placed, Unplaced {}

    /** The broker's listener and the address advertised for it. */
    public record Placed(int nodeId, HostPort listen, HostPort advertised) implements Placement {}

    /** No port for this broker: the reason names the node and the configuration that excludes it. */
    public record Unplaced(int nodeId, String reason) implements Placement {}

    private final RewriteConfig config;
    private final AdvertisedPattern pattern;

    public NodePortMap(RewriteConfig config) {
        this.config = config;
        this.pattern = config.advertised().pattern() == null ? null : new AdvertisedPattern(config.advertised().pattern());
    }

    public Placement place(int nodeId, HostPort upstream, String rack) {
        List<RewriteConfig.BrokerMapping> brokers = config.brokers();
        for (RewriteConfig.BrokerMapping b : brokers) {
            if (b.nodeId() != null && b.nodeId() == nodeId) {
                return explicit(nodeId, b, rack);
            }
        }
        if (upstream != null) {
            for (RewriteConfig.BrokerMapping b : brokers) {
                if (b.upstream() != null && sameAddress(b.upstream(), upstream)) {
                    return explicit(nodeId, b, rack);
                }
            }
        }
        RewriteConfig.DynamicRange dynamic = config.dynamic();
        if (dynamic == null) {
            return new Unplaced(nodeId, "node " + nodeId + " (" + upstream + ") has no entry in brokers and "
                    + "dynamic is not set");
        }
        if (!dynamic.containsNode(nodeId)) {
            return new Unplaced(nodeId, "node " + nodeId + " (" + upstream + ") is outside dynamic's node ids "
                    + dynamic.firstNodeId() + ".." + (dynamic.firstNodeId() + dynamic.count() - 1));
        }
        int offset = nodeId - dynamic.firstNodeId();
        int listenPort = dynamic.listenBasePort() + offset;
        int advertisedPort = dynamic.advertisedBasePort() + offset;
        for (RewriteConfig.BrokerMapping b : brokers) {
            if (b.listen().port() == listenPort) {
                return new Unplaced(nodeId, "node " + nodeId + "'s dynamic port " + listenPort
                        + " is the explicit port of another broker");
            }
        }
        String host = advertisedHost(nodeId, rack);
        if (host == null) {
            return new Unplaced(nodeId, "node " + nodeId + " has rack " + rack + " which advertised.rack-to-az "
                    + "does not map to an AZ");
        }
        return new Placed(nodeId, new HostPort(config.listenHost(), listenPort), new HostPort(host, advertisedPort));
    }

    private Placement explicit(int nodeId, RewriteConfig.BrokerMapping b, String rack) {
        if (b.advertised() != null) {
            return new Placed(nodeId, b.listen(), b.advertised());
        }
        String host = advertisedHost(nodeId, rack);
        if (host == null) {
            return new Unplaced(nodeId, "node " + nodeId + " has rack " + rack
                    + " which advertised.rack-to-az does not map to an AZ");
        }
        return new Placed(nodeId, b.listen(), new HostPort(host, b.listen().port()));
    }

    /** Kafka host names are DNS names: compared without case. */
    static boolean sameAddress(HostPort a, HostPort b) {
        return a.port() == b.port() && a.host().equalsIgnoreCase(b.host());
    }

    /** Null when the pattern needs an AZ the rack does not give. */
    private String advertisedHost(int nodeId, String rack) {
        if (pattern == null) {
            return config.advertised().fixedHost();
        }
        if (!pattern.hasZone()) {
            return pattern.host(nodeId, null);
        }
        String az = rack == null ? null : config.advertised().rackToAz().isEmpty() ? rack
                : config.advertised().rackToAz().get(rack);
        if (az == null) {
            az = config.advertised().rackToAz().get(rack == null ? "" : rack.toLowerCase(Locale.ROOT));
        }
        return az == null ? null : pattern.host(nodeId, az);
    }
}
