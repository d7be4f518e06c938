package io.brokerlink.plan;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per group: advertised address, load-balancer port, target broker and bind port, and the bootstrap mapping. */
final class PortMapRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PortMapRenderer() {
    }

    static String markdown(Deployment d) {
        StringBuilder out = new StringBuilder("# Port map\n\n");
        out.append("Cloud `").append(d.cloud().id()).append("`, region `").append(d.region()).append("`. ")
                .append("Each listener group has its own load balancer").append(d.cloud().hasTerraform()
                        ? " and endpoint service" : " (or gateway group)").append(".\n");
        for (GroupPlan g : d.portPlan().groups()) {
            out.append("\n## ").append(g.name()).append("\n\n");
            out.append("| node.id | zone | advertised address | load-balancer port | target | bind port |\n");
            out.append("|---|---|---|---|---|---|\n");
            for (BrokerEndpoint e : g.endpoints()) {
                out.append("| ").append(e.broker().nodeId()).append(" | ").append(e.broker().zone()).append(" | `")
                        .append(e.advertised()).append("` | ").append(e.advertisedPort()).append(" | `")
                        .append(e.target()).append("` | ").append(e.bindPort()).append(" |\n");
            }
            out.append('\n');
            if (g.bootstrapPort().isPresent()) {
                out.append("Bootstrap: load-balancer port ").append(g.bootstrapPort().getAsInt())
                        .append(" forwards to any healthy broker: ");
                out.append(String.join(", ", g.endpoints().stream().map(e -> "`" + e.target() + "`").toList()))
                        .append(".\n");
            } else {
                out.append("No bootstrap port").append(d.cloud() == io.brokerlink.core.Cloud.GCP
                        ? " (Google Cloud port mapping does not load-balance)" : "")
                        .append(": consumers bootstrap from the broker ports ")
                        .append(String.join(", ", g.consumerBootstrapPorts().stream().map(String::valueOf).toList()))
                        .append(".\n");
            }
        }
        return out.toString();
    }

    static String json(Deployment d) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cloud", d.cloud().id());
        root.put("region", d.region());
        List<Object> groups = new ArrayList<>();
        for (GroupPlan g : d.portPlan().groups()) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("name", g.name());
            group.put("bind-port", g.group().bindPort());
            if (g.bootstrapPort().isPresent()) {
                Map<String, Object> bootstrap = new LinkedHashMap<>();
                bootstrap.put("port", g.bootstrapPort().getAsInt());
                bootstrap.put("targets", g.endpoints().stream().map(BrokerEndpoint::target).toList());
                group.put("bootstrap", bootstrap);
            } else {
                group.put("bootstrap", null);
            }
            group.put("consumer-bootstrap-ports", g.consumerBootstrapPorts());
            List<Object> brokers = new ArrayList<>();
            for (BrokerEndpoint e : g.endpoints()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("node-id", e.broker().nodeId());
                b.put("zone", e.broker().zone());
                b.put("advertised-host", e.advertisedHost());
                b.put("advertised-port", e.advertisedPort());
                b.put("target-host", e.broker().host());
                b.put("target-port", e.bindPort());
                brokers.add(b);
            }
            group.put("brokers", brokers);
            groups.add(group);
        }
        root.put("groups", groups);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("port map is plain maps and lists", e);
        }
    }
}
