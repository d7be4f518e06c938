package io.brokerlink.plan;

import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Cloud;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import io.brokerlink.core.PatternSet;
import java.util.stream.Collectors;

/** {@code CONNECT.md}: exactly what to enter on the consumer side, per listener group. */
final class ConnectRenderer {

    private ConnectRenderer() {
    }

    static String render(Deployment d) {
        StringBuilder out = new StringBuilder("# What to enter on the consumer side\n\n");
        out.append("One endpoint per listener group. Values in `terraform output` come from `terraform/` after"
                + " `terraform apply`.\n");
        for (GroupPlan g : d.portPlan().groups()) {
            String id = Names.id(g);
            out.append("\n## ").append(g.name()).append("\n\n");
            g.group().consumer().ifPresent(c -> out.append("- Consumer allowed in: `").append(c).append("`\n"));
            out.append("- Advertised listener pattern: ");
            PatternSet patterns = g.group().effectivePatterns();
            if (patterns instanceof PatternSet.PerZone perZone) {
                out.append("one per zone\n");
                perZone.byZone().forEach((zone, p) -> out.append("  - `").append(zone).append("`: `").append(p)
                        .append("`\n"));
            } else {
                out.append('`').append(patterns.all().get(0)).append("`\n");
            }
            switch (d.cloud()) {
                case AWS -> out.append("- Endpoint service name: `terraform output -raw ").append(id)
                        .append("_endpoint_service_name` (com.amazonaws.vpce.").append(d.region())
                        .append(".vpce-svc-...)\n");
                case GCP -> out.append("- Service attachment: `terraform output -raw ").append(id)
                        .append("_service_attachment` (projects/.../regions/").append(d.region())
                        .append("/serviceAttachments/...)\n");
                case ALICLOUD -> out.append("- Endpoint service: `terraform output -raw ").append(id)
                        .append("_endpoint_service_name`\n");
                case GENERIC -> out.append("- Endpoint: the host running the BrokerLink gateway (`gateway.yaml`,"
                        + " group ").append(g.name()).append(")\n");
            }
            String ports = g.consumerBootstrapPorts().stream().map(String::valueOf).collect(Collectors.joining(","));
            out.append("- Bootstrap ports: `").append(ports).append('`');
            if (g.bootstrapPort().isEmpty()) {
                out.append(d.cloud() == Cloud.GCP
                        ? " (Google Cloud port mapping has no load-balanced bootstrap port: these are the brokers'"
                                + " advertised ports; do not add 9092, nothing maps it)"
                        : " (no bootstrap port in the spec: the brokers' advertised ports)");
            }
            out.append('\n');
            if (d.awaitsUniqueName()) {
                out.append("- Round 2: after the consumer has attached its domain, run `brokerlink plan SPEC --set"
                        + " unique-name=VALUE -o DIR` and apply the new `advertised.listeners`.\n");
            }
            out.append("\nThe consumer's private DNS must resolve every advertised name to the endpoint")
                    .append(d.cloud() == Cloud.AWS ? " (the endpoint's address in the broker's AZ)" : "")
                    .append(":\n\n| advertised | reaches |\n|---|---|\n");
            for (BrokerEndpoint e : g.endpoints()) {
                out.append("| `").append(e.advertised()).append("` | broker ").append(e.broker().nodeId())
                        .append(" (`").append(e.target()).append("`, ").append(e.broker().zone()).append(") |\n");
            }
        }
        return out.toString();
    }
}
