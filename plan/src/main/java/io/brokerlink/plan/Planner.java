package io.brokerlink.plan;

import io.brokerlink.core.Broker;
import io.brokerlink.core.ClusterMode;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import io.brokerlink.plan.terraform.TerraformRenderer;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** From a valid deployment to every file of the plan, in memory; nothing touches the disk here. */
public final class Planner {

    private Planner() {
    }

    /**
     * @param source      the spec's file name, written into headers (never a full path: output must not depend on
     *                    where the spec lies)
     * @param current     {@code --current NODE=FILE} of an existing cluster
     * @param secondRound true when {@code --set unique-name} replaced Alibaba's placeholder
     */
    public static PlanFiles plan(Deployment d, String source, Map<Integer, CurrentConfig> current,
                                 boolean secondRound) throws PlanException {
        checkCurrent(d, current);
        SortedMap<String, String> files = new TreeMap<>();
        for (Broker b : d.brokersByNodeId()) {
            String dir = "brokers/" + b.nodeId() + "/";
            if (d.cluster() == ClusterMode.NEW) {
                files.put(dir + "server.properties", BrokerConfigRenderer.render(d, b, source));
            } else {
                Optional<CurrentConfig> c = Optional.ofNullable(current.get(b.nodeId()));
                files.put(dir + "changes.properties", ExistingClusterRenderer.changesFile(d, b, c, source));
                c.ifPresent(cc -> files.put(dir + "server.properties", ExistingClusterRenderer.mergedFile(d, b, cc)));
            }
            if (secondRound && b.isBroker()) {
                files.put(dir + "unique-name-round.properties", "# broker-node" + b.nodeId()
                        + ": Alibaba Cloud second round, the unique_name label replaced.\n"
                        + "advertised.listeners=" + KafkaListeners.join(KafkaListeners.advertised(d, b)) + "\n");
            }
        }
        if (d.cluster() == ClusterMode.EXISTING || secondRound) {
            files.put("ROLLING-RESTART.md", ExistingClusterRenderer.rollingRestart(d,
                    d.cluster() == ClusterMode.EXISTING && !current.isEmpty()));
        }
        files.put("portmap.md", PortMapRenderer.markdown(d));
        files.put("portmap.json", PortMapRenderer.json(d));
        files.put("gateway.yaml", GatewayConfigRenderer.render(d, source));
        files.put("CONNECT.md", ConnectRenderer.render(d));
        files.put("topology.svg", TopologyRenderer.svg(d));
        if (d.terraform()) {
            TerraformRenderer.forCloud(d.cloud()).render(d, source)
                    .forEach((path, content) -> files.put("terraform/" + path, content));
        }
        files.put("PLAN.md", index(d, source, files, secondRound));
        return new PlanFiles(files);
    }

    private static void checkCurrent(Deployment d, Map<Integer, CurrentConfig> current) throws PlanException {
        if (current.isEmpty()) {
            return;
        }
        if (d.cluster() != ClusterMode.EXISTING) {
            throw new PlanException("--current: the spec says cluster: new, which gets complete configs;"
                    + " set cluster: existing to merge into running nodes' files");
        }
        for (Map.Entry<Integer, CurrentConfig> e : current.entrySet()) {
            int node = e.getKey();
            CurrentConfig c = e.getValue();
            if (d.broker(node).isEmpty()) {
                throw new PlanException("--current " + node + "=" + c.source() + ": node " + node
                        + " is not in the spec (nodes " + d.brokersByNodeId().stream()
                        .map(b -> Integer.toString(b.nodeId())).collect(Collectors.joining(", ")) + ")");
            }
            Optional<String> id = c.get("node.id").or(() -> c.get("broker.id"));
            if (id.isPresent() && !id.get().equals(Integer.toString(node))) {
                throw new PlanException(c.source() + ":" + c.lineOf(c.get("node.id").isPresent() ? "node.id"
                        : "broker.id") + " node.id: " + id.get() + " but the file was given as --current " + node
                        + "=...; pass the file of node " + node);
            }
        }
    }

    private static String index(Deployment d, String source, SortedMap<String, String> files, boolean secondRound) {
        StringBuilder out = new StringBuilder();
        out.append("# BrokerLink plan: ").append(d.name()).append("\n\n");
        out.append("From `").append(source).append("`: cloud `").append(d.cloud().id()).append("`, region `")
                .append(d.region()).append("`, ").append(d.brokers().size()).append(" nodes in ")
                .append(d.zones().size()).append(" zones, ").append(d.cluster() == ClusterMode.NEW
                        ? "new cluster (complete configs)" : "existing cluster (changes only)").append(".\n\n");
        if (d.awaitsUniqueName()) {
            out.append("> Round 1 of 2: brokers advertise the literal `unique_name` label. When the consumer has"
                    + " attached its domain, run `brokerlink plan ").append(source)
                    .append(" --set unique-name=VALUE -o DIR` and roll the new `advertised.listeners` out.\n\n");
        }
        if (secondRound) {
            out.append("> Round 2: `unique_name` replaced; apply `brokers/*/unique-name-round.properties` with"
                    + " [ROLLING-RESTART.md](ROLLING-RESTART.md).\n\n");
        }
        out.append("| listener group | bind port | advertised ports | bootstrap | consumer |\n|---|---|---|---|---|\n");
        for (GroupPlan g : d.portPlan().groups()) {
            out.append("| ").append(g.name()).append(" | ").append(g.group().bindPort()).append(" | ")
                    .append(g.lowestPort()).append('-').append(g.highestPort()).append(" | ")
                    .append(g.bootstrapPort().isPresent() ? Integer.toString(g.bootstrapPort().getAsInt())
                            : "none (broker ports)").append(" | ")
                    .append(g.group().consumer().map(c -> "`" + c + "`").orElse("-")).append(" |\n");
        }
        out.append("\n## Files\n\n");
        out.append("- [CONNECT.md](CONNECT.md): what to enter on the consumer side\n");
        out.append("- [portmap.md](portmap.md) / [portmap.json](portmap.json): advertised address, load-balancer"
                + " port, target\n");
        out.append("- [gateway.yaml](gateway.yaml): the same mapping for BrokerLink's gateway (portmap mode)\n");
        out.append("- [topology.svg](topology.svg): the picture below, one panel per listener group\n");
        if (files.containsKey("ROLLING-RESTART.md")) {
            out.append("- [ROLLING-RESTART.md](ROLLING-RESTART.md): one node at a time\n");
        }
        for (String path : files.keySet()) {
            if (path.startsWith("brokers/") || path.startsWith("terraform/")) {
                out.append("- [").append(path).append("](").append(path).append(")\n");
            }
        }
        if (d.cloud() == io.brokerlink.core.Cloud.AWS && d.loadBalancer().idleTimeoutSeconds().isEmpty()) {
            out.append("\n> The network load balancer closes idle TCP flows after 350 s, sooner than Kafka's"
                    + " defaults (client 9 min, broker 10 min): set `connections.max.idle.ms` below 350000 on"
                    + " the consumer, or `load-balancer.idle-timeout-seconds` in the spec.\n");
        }
        out.append("\n![topology](topology.svg)\n");
        for (GroupPlan g : d.portPlan().groups()) {
            out.append("\n## ").append(g.name()).append("\n\n").append(TopologyRenderer.mermaid(d, g));
        }
        return out.toString();
    }
}
