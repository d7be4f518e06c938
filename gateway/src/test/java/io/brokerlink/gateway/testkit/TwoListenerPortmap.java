package io.brokerlink.gateway.testkit;

import io.brokerlink.sandbox.SandboxCluster;
import java.util.List;

/**
 * A 3-node cluster with two client listeners, EXTERNAL (group 0) and a second one (group 1), each fronted by one
 * portmap group of the same gateway: a bootstrap port, then one port per broker, the second group's four ports after
 * the first's. Every port is chosen before the cluster starts, because the gateway's addresses go into
 * {@code advertised.listeners} (so {@code ephemeralPorts()} cannot be used).
 *
 * @param clusterPorts INTERNAL; CONTROLLER, EXTERNAL and the second listener are the next three, on every node
 * @param base         the first group's bootstrap port on the gateway
 */
public record TwoListenerPortmap(String gateway, List<String> nodes, String secondListener, int clusterPorts,
                                 int base) {

    /** The host a node advertises for a group's listener (its gateway port is added). */
    @FunctionalInterface
    public interface AdvertisedHost {
        String of(int group, int node);
    }

    public TwoListenerPortmap {
        nodes = List.copyOf(nodes);
        if (nodes.size() != 3) {
            throw new IllegalArgumentException("nodes: " + nodes + "; give 3 addresses");
        }
    }

    /** Free ports for {@code nodes} (four on each) and {@code gateway} (eight). */
    public static TwoListenerPortmap choose(String gateway, List<String> nodes, String secondListener) {
        return new TwoListenerPortmap(gateway, nodes, secondListener, FreePorts.consecutiveOnAll(nodes, 4),
                FreePorts.consecutive(gateway, 8));
    }

    public int bootstrapPort(int group) {
        return base + 4 * group;
    }

    /** The gateway port of {@code node} (1-3) in {@code group}: what the broker advertises for that listener. */
    public int brokerPort(int group, int node) {
        return base + 4 * group + node;
    }

    /** Ports, listeners and advertised listeners of every node (INTERNAL advertises the node's own address). */
    public SandboxCluster.Builder configure(SandboxCluster.Builder builder, AdvertisedHost advertised) {
        builder.firstAddress(nodes.get(0)).internalPort(clusterPorts).controllerPort(clusterPorts + 1)
                .externalPort(clusterPorts + 2);
        for (int n = 1; n <= 3; n++) {
            String address = nodes.get(n - 1);
            builder.nodeProperty(n, "listeners", "INTERNAL://" + address + ":" + clusterPorts
                    + ",CONTROLLER://" + address + ":" + (clusterPorts + 1)
                    + ",EXTERNAL://" + address + ":" + (clusterPorts + 2)
                    + "," + secondListener + "://" + address + ":" + (clusterPorts + 3));
            builder.nodeProperty(n, "advertised.listeners", "INTERNAL://" + address + ":" + clusterPorts
                    + ",EXTERNAL://" + advertised.of(0, n) + ":" + brokerPort(0, n)
                    + "," + secondListener + "://" + advertised.of(1, n) + ":" + brokerPort(1, n));
        }
        return builder;
    }

    /**
     * The gateway's configuration: one group per listener, named after it, each broker port targeting that listener
     * of its node and advertising what the node does; {@code healthCheck} is the {@code health-check} flow map.
     */
    public String gatewayYaml(String healthCheck, AdvertisedHost advertised) {
        StringBuilder yaml = new StringBuilder("""
                mode: portmap
                bind-address: %s
                drain-timeout-ms: 1000
                health-check: %s
                groups:
                """.formatted(gateway, healthCheck));
        for (int g = 0; g < 2; g++) {
            yaml.append("  - name: ").append(g == 0 ? "EXTERNAL" : secondListener).append('\n')
                    .append("    bootstrap-port: ").append(bootstrapPort(g)).append('\n')
                    .append("    brokers:\n");
            for (int n = 1; n <= 3; n++) {
                yaml.append("      - {node-id: ").append(n).append(", listen-port: ").append(brokerPort(g, n))
                        .append(", target: \"").append(nodes.get(n - 1)).append(':').append(clusterPorts + 2 + g)
                        .append("\", advertised: \"").append(advertised.of(g, n)).append(':').append(brokerPort(g, n))
                        .append("\"}\n");
            }
        }
        return yaml.toString();
    }
}
