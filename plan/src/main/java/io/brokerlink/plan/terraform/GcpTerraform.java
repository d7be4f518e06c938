package io.brokerlink.plan.terraform;

import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Google Cloud port mapping: per group a GCE_VM_IP_PORTMAP network endpoint group with one endpoint per broker
 * (client_destination_port = advertised port, port = bind port), an internal backend service, an all-ports
 * forwarding rule and a service attachment accepting the consumer's project; one PSC NAT subnet and a firewall
 * rule letting it reach the bind ports. Port mapping does not load-balance, so there is no bootstrap port.
 */
final class GcpTerraform implements TerraformRenderer {

    @Override
    public SortedMap<String, String> render(Deployment d, String source) {
        SortedMap<String, String> files = new TreeMap<>();
        files.put("versions.tf", TerraformRenderer.header(source) + new Hcl()
                .open("terraform").attr("required_version", Hcl.str(">= 1.5"))
                .open("required_providers").open("google =").attr("source", Hcl.str("hashicorp/google"))
                .attr("version", Hcl.str(">= 7.15")).close().close().close()
                .open("provider \"google\"").attr("project", "var.project").attr("region", Hcl.str(d.region()))
                .close());
        files.put("variables.tf", TerraformRenderer.header(source) + new Hcl()
                .open("variable \"project\"").attr("description", Hcl.str("Project of the brokers"))
                .attr("type", "string").close()
                .open("variable \"network\"").attr("description", Hcl.str("VPC network (self link) of the brokers"))
                .attr("type", "string").close()
                .open("variable \"subnetwork\"").attr("description", Hcl.str("Subnetwork (self link) of the brokers"))
                .attr("type", "string").close()
                .open("variable \"psc_nat_cidr\"")
                .attr("description", Hcl.str("Unused range for the Private Service Connect NAT subnet, e.g."
                        + " 10.100.0.0/24")).attr("type", "string").close());
        Hcl shared = new Hcl();
        shared.comment("Consumer connections arrive from this NAT subnet.");
        shared.open("resource \"google_compute_subnetwork\" \"psc_nat\"")
                .attr("name", Hcl.str(d.name() + "-psc-nat"))
                .attr("region", Hcl.str(d.region()))
                .attr("network", "var.network")
                .attr("ip_cidr_range", "var.psc_nat_cidr")
                .attr("purpose", Hcl.str("PRIVATE_SERVICE_CONNECT"))
                .close();
        files.put("main.tf", TerraformRenderer.header(source) + shared);
        Hcl outputs = new Hcl();
        for (GroupPlan g : d.portPlan().groups()) {
            files.put(TerraformRenderer.slug(g) + ".tf", TerraformRenderer.header(source) + group(d, g));
            String id = TerraformRenderer.id(g);
            outputs.open("output \"" + id + "_service_attachment\"")
                    .attr("description", Hcl.str("Hand this to the consumer of group " + g.name()))
                    .attr("value", "google_compute_service_attachment." + id + ".self_link").close();
        }
        files.put("outputs.tf", TerraformRenderer.header(source) + outputs);
        return files;
    }

    private static String group(Deployment d, GroupPlan g) {
        String id = TerraformRenderer.id(g);
        String name = d.name() + "-" + TerraformRenderer.slug(g);
        Hcl hcl = new Hcl();
        hcl.comment("Listener group " + g.name() + ": advertised ports "
                + g.lowestPort() + "-" + g.highestPort() + " mapped to bind port " + g.group().bindPort() + ".");
        hcl.open("resource \"google_compute_region_network_endpoint_group\" \"" + id + "\"")
                .attr("name", Hcl.str(name))
                .attr("region", Hcl.str(d.region()))
                .attr("network", "var.network")
                .attr("subnetwork", "var.subnetwork")
                .attr("network_endpoint_type", Hcl.str("GCE_VM_IP_PORTMAP"))
                .close();
        for (BrokerEndpoint e : g.endpoints()) {
            hcl.open("resource \"google_compute_region_network_endpoint\" \"" + id + "_b" + e.broker().nodeId() + "\"")
                    .attr("region_network_endpoint_group", "google_compute_region_network_endpoint_group." + id + ".name")
                    .attr("region", Hcl.str(d.region()))
                    .attr("instance", "\"projects/${var.project}/zones/" + e.broker().zone() + "/instances/"
                            + e.broker().instanceId().orElseThrow() + "\"")
                    .attr("ip_address", Hcl.str(e.broker().host()))
                    .attr("port", e.bindPort())
                    .attr("client_destination_port", e.advertisedPort())
                    .close();
        }
        hcl.open("resource \"google_compute_region_backend_service\" \"" + id + "\"")
                .attr("name", Hcl.str(name))
                .attr("region", Hcl.str(d.region()))
                .attr("load_balancing_scheme", Hcl.str("INTERNAL"))
                .attr("protocol", Hcl.str("TCP"))
                .open("backend").attr("group", "google_compute_region_network_endpoint_group." + id + ".id")
                .attr("balancing_mode", Hcl.str("CONNECTION")).close()
                .close();
        hcl.open("resource \"google_compute_forwarding_rule\" \"" + id + "\"")
                .attr("name", Hcl.str(name))
                .attr("region", Hcl.str(d.region()))
                .attr("load_balancing_scheme", Hcl.str("INTERNAL"))
                .attr("backend_service", "google_compute_region_backend_service." + id + ".id")
                .attr("ip_protocol", Hcl.str("TCP"))
                .attr("all_ports", true)
                .attr("network", "var.network")
                .attr("subnetwork", "var.subnetwork")
                .close();
        hcl.open("resource \"google_compute_service_attachment\" \"" + id + "\"")
                .attr("name", Hcl.str(name))
                .attr("region", Hcl.str(d.region()))
                .attr("target_service", "google_compute_forwarding_rule." + id + ".id")
                .attr("nat_subnets", "[google_compute_subnetwork.psc_nat.id]")
                .attr("enable_proxy_protocol", false)
                .attr("connection_preference", Hcl.str(d.loadBalancer().acceptanceRequired()
                        ? "ACCEPT_MANUAL" : "ACCEPT_AUTOMATIC"));
        if (d.loadBalancer().acceptanceRequired()) {
            hcl.open("consumer_accept_lists")
                    .attr("project_id_or_num", Hcl.str(g.group().consumer().orElseThrow()))
                    .attr("connection_limit", 10).close();
        }
        hcl.close();
        hcl.open("resource \"google_compute_firewall\" \"" + id + "_from_psc\"")
                .attr("name", Hcl.str(name + "-from-psc"))
                .attr("network", "var.network")
                .attr("direction", Hcl.str("INGRESS"))
                .attr("source_ranges", "[var.psc_nat_cidr]")
                .open("allow").attr("protocol", Hcl.str("tcp"))
                .attr("ports", "[" + Hcl.str(Integer.toString(g.group().bindPort())) + "]").close()
                .close();
        return hcl.toString();
    }
}
