package io.brokerlink.plan.terraform;

import io.brokerlink.core.Broker;
import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * AWS: per group an internal network load balancer (one subnet per AZ), one TCP target group and listener per
 * advertised port plus bootstrap, a PrivateLink endpoint service allowing the consumer's principal (listed on the
 * service only, never also as aws_vpc_endpoint_service_allowed_principal), and security-group rules.
 */
final class AwsTerraform implements TerraformRenderer {

    @Override
    public SortedMap<String, String> render(Deployment d, String source) {
        SortedMap<String, String> files = new TreeMap<>();
        files.put("versions.tf", TerraformRenderer.header(source) + new Hcl()
                .open("terraform").attr("required_version", Hcl.str(">= 1.5"))
                .open("required_providers").open("aws =").attr("source", Hcl.str("hashicorp/aws"))
                .attr("version", Hcl.str(">= 5.80")).close().close().close()
                .open("provider \"aws\"").attr("region", Hcl.str(d.region())).close());
        Hcl vars = new Hcl()
                .open("variable \"vpc_id\"").attr("description", Hcl.str("VPC of the brokers")).attr("type", "string")
                .close()
                .open("variable \"subnet_ids\"")
                .attr("description", Hcl.str("Private subnet per AZ id (" + String.join(", ", d.zones())
                        + "); AZ names differ per account, AZ ids do not"))
                .attr("type", "map(string)").close()
                .open("variable \"consumer_cidr_blocks\"")
                .attr("description", Hcl.str("CIDRs allowed to the listener ports from inside the VPC (checks);"
                        + " PrivateLink traffic is not filtered by the load balancer's group"))
                .attr("type", "list(string)").close()
                .open("variable \"broker_security_group_id\"")
                .attr("description", Hcl.str("Security group of the brokers; gets the EXTERNAL bind ports from"
                        + " the load balancers"))
                .attr("type", "string").close();
        files.put("variables.tf", TerraformRenderer.header(source) + vars);
        Hcl outputs = new Hcl();
        for (GroupPlan g : d.portPlan().groups()) {
            files.put(TerraformRenderer.slug(g) + ".tf", TerraformRenderer.header(source) + group(d, g));
            String id = TerraformRenderer.id(g);
            outputs.open("output \"" + id + "_endpoint_service_name\"")
                    .attr("description", Hcl.str("Hand this to the consumer of group " + g.name()))
                    .attr("value", "aws_vpc_endpoint_service." + id + ".service_name").close();
            outputs.open("output \"" + id + "_load_balancer_dns_name\"")
                    .attr("value", "aws_lb." + id + ".dns_name").close();
        }
        files.put("outputs.tf", TerraformRenderer.header(source) + outputs);
        return files;
    }

    private static String group(Deployment d, GroupPlan g) {
        String id = TerraformRenderer.id(g);
        String slug = TerraformRenderer.slug(g);
        boolean byInstance = g.endpoints().stream().allMatch(e -> e.broker().instanceId().isPresent());
        Hcl hcl = new Hcl();
        hcl.comment("Listener group " + g.name() + ": " + g.endpoints().size() + " brokers"
                + (g.bootstrapPort().isPresent() ? " + bootstrap " + g.bootstrapPort().getAsInt() : "")
                + ", its own load balancer and endpoint service.");
        hcl.open("resource \"aws_security_group\" \"" + id + "_lb\"")
                .attr("name", Hcl.str(d.name() + "-" + slug + "-lb"))
                .attr("description", Hcl.str("BrokerLink " + g.name() + " load balancer"))
                .attr("vpc_id", "var.vpc_id").close();
        List<Integer> ports = new java.util.ArrayList<>();
        g.bootstrapPort().ifPresent(ports::add);
        g.endpoints().forEach(e -> ports.add(e.advertisedPort()));
        for (int port : ports) {
            hcl.open("resource \"aws_vpc_security_group_ingress_rule\" \"" + id + "_lb_" + port + "\"")
                    .attr("for_each", "toset(var.consumer_cidr_blocks)")
                    .attr("security_group_id", "aws_security_group." + id + "_lb.id")
                    .attr("cidr_ipv4", "each.value").attr("ip_protocol", Hcl.str("tcp"))
                    .attr("from_port", port).attr("to_port", port).close();
        }
        hcl.open("resource \"aws_vpc_security_group_egress_rule\" \"" + id + "_lb_to_brokers\"")
                .attr("security_group_id", "aws_security_group." + id + "_lb.id")
                .attr("referenced_security_group_id", "var.broker_security_group_id")
                .attr("ip_protocol", Hcl.str("tcp")).attr("from_port", g.group().bindPort())
                .attr("to_port", g.group().bindPort()).close();
        hcl.comment("Health checks and PrivateLink traffic both reach the brokers from the load balancer.");
        hcl.open("resource \"aws_vpc_security_group_ingress_rule\" \"" + id + "_brokers_from_lb\"")
                .attr("security_group_id", "var.broker_security_group_id")
                .attr("referenced_security_group_id", "aws_security_group." + id + "_lb.id")
                .attr("ip_protocol", Hcl.str("tcp")).attr("from_port", g.group().bindPort())
                .attr("to_port", g.group().bindPort()).close();
        hcl.open("resource \"aws_lb\" \"" + id + "\"")
                .attrs(awsName(d.name() + "-" + slug))
                .attr("internal", true)
                .attr("load_balancer_type", Hcl.str("network"))
                .attr("subnets", Hcl.list(d.zones().stream().map(z -> "var.subnet_ids[" + Hcl.str(z) + "]").toList()))
                .attr("security_groups", "[aws_security_group." + id + "_lb.id]")
                .attr("enable_cross_zone_load_balancing", d.loadBalancer().crossZone())
                .attr("enforce_security_group_inbound_rules_on_private_link_traffic", Hcl.str("off"))
                .close();
        if (g.bootstrapPort().isPresent()) {
            targetGroup(hcl, d, g, id + "_bootstrap", "bootstrap", byInstance);
            for (BrokerEndpoint e : g.endpoints()) {
                attachment(hcl, id + "_bootstrap", "b" + e.broker().nodeId(), e, byInstance);
            }
            listener(hcl, d, id, id + "_bootstrap", g.bootstrapPort().getAsInt());
        }
        for (BrokerEndpoint e : g.endpoints()) {
            String tg = id + "_b" + e.broker().nodeId();
            targetGroup(hcl, d, g, tg, "b" + e.broker().nodeId(), byInstance);
            attachment(hcl, tg, "b" + e.broker().nodeId(), e, byInstance);
            listener(hcl, d, id, tg, e.advertisedPort());
        }
        hcl.open("resource \"aws_vpc_endpoint_service\" \"" + id + "\"")
                .attr("acceptance_required", d.loadBalancer().acceptanceRequired())
                .attr("network_load_balancer_arns", "[aws_lb." + id + ".arn]")
                .attr("allowed_principals", Hcl.list(g.group().consumer().stream().map(Hcl::str).toList()))
                .open("tags").attr("Name", Hcl.str(d.name() + "-" + slug)).close()
                .close();
        return hcl.toString();
    }

    private static void targetGroup(Hcl hcl, Deployment d, GroupPlan g, String name, String role,
                                    boolean byInstance) {
        hcl.open("resource \"aws_lb_target_group\" \"" + name + "\"")
                .attrs(awsName(d.name() + "-" + TerraformRenderer.slug(g) + "-" + role))
                .attr("port", g.group().bindPort())
                .attr("protocol", Hcl.str("TCP"))
                .attr("target_type", Hcl.str(byInstance ? "instance" : "ip"))
                .attr("vpc_id", "var.vpc_id")
                .open("health_check").attr("protocol", Hcl.str("TCP")).attr("port", Hcl.str("traffic-port"))
                .attr("healthy_threshold", 2).attr("unhealthy_threshold", 2).attr("interval", 10).close()
                .close();
    }

    /** Load balancers and target groups take names of at most 32 characters; longer ones are left to Terraform to name. */
    private static java.util.Map<String, Object> awsName(String name) {
        return name.length() <= 32 ? java.util.Map.of("name", Hcl.str(name)) : java.util.Map.of();
    }

    private static void attachment(Hcl hcl, String targetGroup, String member, BrokerEndpoint e, boolean byInstance) {
        Broker b = e.broker();
        hcl.open("resource \"aws_lb_target_group_attachment\" \"" + targetGroup + "_" + member + "\"")
                .attr("target_group_arn", "aws_lb_target_group." + targetGroup + ".arn")
                .attr("target_id", Hcl.str(byInstance ? b.instanceId().orElseThrow() : b.host()))
                .attr("port", e.bindPort())
                .close();
    }

    private static void listener(Hcl hcl, Deployment d, String lb, String targetGroup, int port) {
        hcl.open("resource \"aws_lb_listener\" \"" + lb + "_" + port + "\"")
                .attr("load_balancer_arn", "aws_lb." + lb + ".arn")
                .attr("port", port)
                .attr("protocol", Hcl.str("TCP"));
        d.loadBalancer().idleTimeoutSeconds().ifPresent(s -> hcl.attr("tcp_idle_timeout_seconds", s));
        hcl.open("default_action").attr("type", Hcl.str("forward"))
                .attr("target_group_arn", "aws_lb_target_group." + targetGroup + ".arn").close()
                .close();
    }
}
