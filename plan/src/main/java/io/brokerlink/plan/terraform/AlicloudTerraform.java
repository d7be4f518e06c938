package io.brokerlink.plan.terraform;

import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Alibaba Cloud: per group an intranet NLB (one vswitch per zone), one TCP server group and listener per advertised
 * port plus bootstrap, server attachments on the bind port, and a PrivateLink endpoint service with the NLB as its
 * resource and the consumer's account as its user.
 */
final class AlicloudTerraform implements TerraformRenderer {

    @Override
    public SortedMap<String, String> render(Deployment d, String source) {
        SortedMap<String, String> files = new TreeMap<>();
        files.put("versions.tf", TerraformRenderer.header(source) + new Hcl()
                .open("terraform").attr("required_version", Hcl.str(">= 1.5"))
                .open("required_providers").open("alicloud =").attr("source", Hcl.str("aliyun/alicloud"))
                .attr("version", Hcl.str(">= 1.230.0")).close().close().close()
                .open("provider \"alicloud\"").attr("region", Hcl.str(d.region())).close());
        files.put("variables.tf", TerraformRenderer.header(source) + new Hcl()
                .open("variable \"vpc_id\"").attr("description", Hcl.str("VPC of the brokers")).attr("type", "string")
                .close()
                .open("variable \"vswitch_ids\"")
                .attr("description", Hcl.str("vSwitch per zone id (" + String.join(", ", d.zones()) + ")"))
                .attr("type", "map(string)").close());
        Hcl outputs = new Hcl();
        for (GroupPlan g : d.portPlan().groups()) {
            files.put(TerraformRenderer.slug(g) + ".tf", TerraformRenderer.header(source) + group(d, g));
            String id = TerraformRenderer.id(g);
            outputs.open("output \"" + id + "_endpoint_service_name\"")
                    .attr("description", Hcl.str("Hand this to the consumer of group " + g.name()))
                    .attr("value", "\"com.aliyuncs.privatelink." + d.region() + ".${alicloud_privatelink_vpc_endpoint_service."
                            + id + ".id}\"").close();
            outputs.open("output \"" + id + "_endpoint_service_id\"")
                    .attr("value", "alicloud_privatelink_vpc_endpoint_service." + id + ".id").close();
        }
        files.put("outputs.tf", TerraformRenderer.header(source) + outputs);
        return files;
    }

    private static String group(Deployment d, GroupPlan g) {
        String id = TerraformRenderer.id(g);
        String name = d.name() + "-" + TerraformRenderer.slug(g);
        boolean byInstance = g.endpoints().stream().allMatch(e -> e.broker().instanceId().isPresent());
        Hcl hcl = new Hcl();
        hcl.comment("Listener group " + g.name() + ": its own load balancer and endpoint service.");
        hcl.open("resource \"alicloud_nlb_load_balancer\" \"" + id + "\"")
                .attr("load_balancer_name", Hcl.str(name))
                .attr("load_balancer_type", Hcl.str("Network"))
                .attr("address_type", Hcl.str("Intranet"))
                .attr("address_ip_version", Hcl.str("Ipv4"))
                .attr("vpc_id", "var.vpc_id")
                .attr("cross_zone_enabled", d.loadBalancer().crossZone());
        for (String zone : d.zones()) {
            hcl.open("zone_mappings").attr("zone_id", Hcl.str(zone))
                    .attr("vswitch_id", "var.vswitch_ids[" + Hcl.str(zone) + "]").close();
        }
        hcl.close();
        if (g.bootstrapPort().isPresent()) {
            serverGroup(hcl, g, id + "_bootstrap", name + "-bootstrap", byInstance);
            for (BrokerEndpoint e : g.endpoints()) {
                attachment(hcl, id + "_bootstrap", e, byInstance);
            }
            listener(hcl, d, id, id + "_bootstrap", g.bootstrapPort().getAsInt());
        }
        for (BrokerEndpoint e : g.endpoints()) {
            String sg = id + "_b" + e.broker().nodeId();
            serverGroup(hcl, g, sg, name + "-b" + e.broker().nodeId(), byInstance);
            attachment(hcl, sg, e, byInstance);
            listener(hcl, d, id, sg, e.advertisedPort());
        }
        hcl.open("resource \"alicloud_privatelink_vpc_endpoint_service\" \"" + id + "\"")
                .attr("service_description", Hcl.str("BrokerLink " + g.name()))
                .attr("auto_accept_connection", !d.loadBalancer().acceptanceRequired())
                .attr("service_resource_type", Hcl.str("nlb"))
                .close();
        for (String zone : d.zones()) {
            hcl.open("resource \"alicloud_privatelink_vpc_endpoint_service_resource\" \"" + id + "_"
                            + zone.replace('-', '_') + "\"")
                    .attr("service_id", "alicloud_privatelink_vpc_endpoint_service." + id + ".id")
                    .attr("resource_id", "alicloud_nlb_load_balancer." + id + ".id")
                    .attr("resource_type", Hcl.str("nlb"))
                    .attr("zone_id", Hcl.str(zone))
                    .close();
        }
        hcl.open("resource \"alicloud_privatelink_vpc_endpoint_service_user\" \"" + id + "\"")
                .attr("service_id", "alicloud_privatelink_vpc_endpoint_service." + id + ".id")
                .attr("user_id", Hcl.str(g.group().consumer().orElseThrow()))
                .close();
        return hcl.toString();
    }

    private static void serverGroup(Hcl hcl, GroupPlan g, String id, String name, boolean byInstance) {
        hcl.open("resource \"alicloud_nlb_server_group\" \"" + id + "\"")
                .attr("server_group_name", Hcl.str(name))
                .attr("server_group_type", Hcl.str(byInstance ? "Instance" : "Ip"))
                .attr("vpc_id", "var.vpc_id")
                .attr("protocol", Hcl.str("TCP"))
                .attr("scheduler", Hcl.str("Wrr"))
                .attr("address_ip_version", Hcl.str("Ipv4"))
                .open("health_check").attr("health_check_enabled", true).attr("health_check_type", Hcl.str("TCP"))
                .attr("health_check_connect_port", g.group().bindPort()).attr("healthy_threshold", 2)
                .attr("unhealthy_threshold", 2).close()
                .close();
    }

    private static void attachment(Hcl hcl, String serverGroup, BrokerEndpoint e, boolean byInstance) {
        hcl.open("resource \"alicloud_nlb_server_group_server_attachment\" \"" + serverGroup + "_b"
                        + e.broker().nodeId() + "\"")
                .attr("server_group_id", "alicloud_nlb_server_group." + serverGroup + ".id")
                .attr("server_type", Hcl.str(byInstance ? "Ecs" : "Ip"))
                .attr("server_id", Hcl.str(byInstance ? e.broker().instanceId().orElseThrow() : e.broker().host()))
                .attr("server_ip", Hcl.str(e.broker().host()))
                .attr("port", e.bindPort())
                .attr("weight", 100)
                .close();
    }

    private static void listener(Hcl hcl, Deployment d, String lb, String serverGroup, int port) {
        hcl.open("resource \"alicloud_nlb_listener\" \"" + lb + "_" + port + "\"")
                .attr("load_balancer_id", "alicloud_nlb_load_balancer." + lb + ".id")
                .attr("server_group_id", "alicloud_nlb_server_group." + serverGroup + ".id")
                .attr("listener_protocol", Hcl.str("TCP"))
                .attr("listener_port", port);
        d.loadBalancer().idleTimeoutSeconds().ifPresent(s -> hcl.attr("idle_timeout", s));
        hcl.close();
    }
}
