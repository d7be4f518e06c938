package io.brokerlink.gateway.testkit;

import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;

/**
 * The rewrite gateway the fuzz test attacks and its findings are replayed against: on {@code host}, advertising
 * {@code host}, dynamic ports {@code base..base+2} for nodes 1-3 found through every node's plaintext INTERNAL
 * listener, and an address-keyed port {@code base+3} in front of node 1's EXTERNAL listener (SASL in those tests).
 */
public final class FuzzTargetYaml {

    private FuzzTargetYaml() {
    }

    /** {@code settings}: further top-level lines (limits, fetch-endpoints), each ending in a newline, or "". */
    public static String rewrite(String host, int base, SandboxCluster cluster, String settings) {
        StringBuilder yaml = new StringBuilder("""
                mode: rewrite
                listen-host: %s
                drain-timeout-ms: 1000
                """.formatted(host)).append(settings).append("""
                advertised:
                  fixed-host: %s
                dynamic:
                  first-node-id: 1
                  listen-base-port: %d
                  count: 3
                brokers:
                  - upstream: %s
                    listen: %d
                bootstrap-servers:
                """.formatted(host, base, cluster.node(1).externalBind(), base + 3));
        for (SandboxNode n : cluster.nodes()) {
            yaml.append("  - ").append(n.internal()).append('\n');
        }
        return yaml.toString();
    }
}
