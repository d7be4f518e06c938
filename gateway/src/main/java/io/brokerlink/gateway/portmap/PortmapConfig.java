package io.brokerlink.gateway.portmap;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.ConfigMap;
import io.brokerlink.gateway.config.ConfigNode;
import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.config.GatewayMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Portmap mode's configuration, the {@code gateway.yaml} that {@code brokerlink plan} writes:
 *
 * <pre>
 * mode: portmap
 * bind-address: 0.0.0.0
 * health-check: {interval-ms: 2000, timeout-ms: 1000, healthy-threshold: 2, unhealthy-threshold: 2}
 * groups:
 *   - name: EXTERNAL
 *     bootstrap-port: 9092        # optional
 *     brokers:
 *       - {node-id: 1, listen-port: 9093, target: 127.0.1.1:39092, advertised: b1.usw2-az1...:9093}
 * </pre>
 *
 * A listen port is used once over all groups (bootstrap ports included).
 */
public record PortmapConfig(CommonSettings common, String bindAddress, HealthCheckConfig healthCheck,
                            List<PortGroup> groups) implements GatewayConfig {

    public PortmapConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(healthCheck, "healthCheck");
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("portmap needs at least one group");
        }
        Map<Integer, String> ports = new HashMap<>();
        for (PortGroup group : groups) {
            group.bootstrapPort().ifPresent(p -> claim(ports, p, group.name() + " bootstrap"));
            for (BrokerRoute broker : group.brokers()) {
                claim(ports, broker.listenPort(), group.name() + " broker " + broker.nodeId());
            }
        }
    }

    private static void claim(Map<Integer, String> ports, int port, String user) {
        String previous = ports.putIfAbsent(port, user);
        if (previous != null) {
            throw new IllegalArgumentException("port " + port + " is used by both " + previous + " and " + user);
        }
    }

    @Override
    public GatewayMode mode() {
        return GatewayMode.PORTMAP;
    }

    public PortmapConfig withBindAddress(String address) {
        return new PortmapConfig(common, address, healthCheck, groups);
    }

    public PortmapConfig withCommon(CommonSettings settings) {
        return new PortmapConfig(settings, bindAddress, healthCheck, groups);
    }

    /** Reads the portmap keys of the root map (the common keys are already read). */
    public static PortmapConfig read(ConfigMap root, CommonSettings common) {
        String bindAddress = root.optionalString("bind-address").orElse("0.0.0.0");
        HealthCheckConfig health = root.optionalMap("health-check").map(HealthCheckConfig::read)
                .orElse(HealthCheckConfig.DEFAULT);
        List<ConfigMap> groupMaps = root.list("groups").maps();
        if (groupMaps.isEmpty()) {
            throw root.list("groups").error("is empty; give at least one listener group");
        }
        Map<Integer, String> portUsers = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        List<PortGroup> groups = new ArrayList<>();
        for (ConfigMap g : groupMaps) {
            String name = g.string("name");
            String earlier = names.putIfAbsent(name, g.pathOf("name"));
            if (earlier != null) {
                throw g.required("name").error("\"" + name + "\" is already the name of " + earlier
                        + "; give each group its own name");
            }
            OptionalInt bootstrap = g.optionalInteger("bootstrap-port", 1, 65535, "is not a port (1-65535)");
            if (bootstrap.isPresent()) {
                claimPort(portUsers, bootstrap.getAsInt(), g.required("bootstrap-port"));
            }
            List<ConfigMap> brokerMaps = g.list("brokers").maps();
            if (brokerMaps.isEmpty()) {
                throw g.list("brokers").error("is empty; give at least one broker");
            }
            Map<Integer, String> ids = new HashMap<>();
            List<BrokerRoute> brokers = new ArrayList<>();
            for (ConfigMap b : brokerMaps) {
                int nodeId = b.integer("node-id", 0, Integer.MAX_VALUE, "is not a node id (0 or more)");
                String sameId = ids.putIfAbsent(nodeId, b.pathOf("node-id"));
                if (sameId != null) {
                    throw b.required("node-id").error(nodeId + " is already the node id of " + sameId
                            + "; a group lists each broker once");
                }
                int listenPort = b.port("listen-port");
                claimPort(portUsers, listenPort, b.required("listen-port"));
                HostPort target = b.hostPort("target", 1);
                Optional<String> advertised = b.optionalString("advertised");
                b.rejectUnknownKeys();
                brokers.add(new BrokerRoute(nodeId, listenPort, target, advertised));
            }
            g.rejectUnknownKeys();
            groups.add(new PortGroup(name, bootstrap, brokers));
        }
        root.rejectUnknownKeys();
        try {
            return new PortmapConfig(common, bindAddress, health, groups);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(root.location() + " " + e.getMessage());
        }
    }

    private static void claimPort(Map<Integer, String> users, int port, ConfigNode node) {
        String previous = users.putIfAbsent(port, node.path());
        if (previous != null) {
            throw node.error(port + " is already used by " + previous + "; every listen port must be unique");
        }
    }
}
