package io.brokerlink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated .tf parses with HashiCorp's HCL parser, and the parsed resources map exactly one listener and one
 * target (group) per advertised port plus bootstrap, to the right broker and bind port.
 */
class TerraformParsesTest {

    @TempDir
    Path dir;

    /** resource type -> name -> body, over all files of the plan. */
    private Map<String, Map<String, JsonNode>> resources(PlanFiles plan) throws Exception {
        List<Path> tf = new ArrayList<>();
        for (var e : plan.files().entrySet()) {
            if (e.getKey().endsWith(".tf")) {
                Path file = dir.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                tf.add(file);
            }
        }
        assertThat(tf).isNotEmpty();
        JsonNode parsed = Hcl2Json.parse(tf);
        assertThat(parsed.size()).isEqualTo(tf.size());
        Map<String, Map<String, JsonNode>> out = new HashMap<>();
        for (JsonNode file : parsed) {
            JsonNode res = file.path("resource");
            for (Iterator<String> types = res.fieldNames(); types.hasNext(); ) {
                String type = types.next();
                for (Iterator<String> names = res.get(type).fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    out.computeIfAbsent(type, t -> new HashMap<>()).put(name, res.get(type).get(name).get(0));
                }
            }
        }
        return out;
    }

    private static String ref(JsonNode value) {
        return value.asText().replace("${", "").replace("}", "");
    }

    @Test
    void awsHasOneListenerAndTargetGroupPerPortPlusBootstrapPerGroup() throws Exception {
        Deployment d = Examples.spec("aws.yaml");
        Map<String, Map<String, JsonNode>> r = resources(Examples.plan("aws.yaml"));
        assertThat(r.get("aws_lb")).containsOnlyKeys("external", "external2");
        assertThat(r.get("aws_vpc_endpoint_service")).containsOnlyKeys("external", "external2");
        for (GroupPlan g : d.portPlan().groups()) {
            String lb = g.name().toLowerCase();
            Map<Integer, JsonNode> listeners = new HashMap<>();
            r.get("aws_lb_listener").values().stream()
                    .filter(l -> ref(l.get("load_balancer_arn")).equals("aws_lb." + lb + ".arn"))
                    .forEach(l -> assertThat(listeners.put(l.get("port").asInt(), l)).as("one listener per port")
                            .isNull());
            Set<Integer> expected = new HashSet<>();
            expected.add(g.bootstrapPort().getAsInt());
            g.endpoints().forEach(e -> expected.add(e.advertisedPort()));
            assertThat(listeners.keySet()).isEqualTo(expected);
            // Bootstrap: its own target group with every broker on the bind port.
            String bootstrapTg = targetGroupOf(listeners.get(g.bootstrapPort().getAsInt()));
            assertThat(targets(r, bootstrapTg)).containsExactlyInAnyOrder(
                    g.endpoints().stream().map(e -> e.broker().instanceId().orElseThrow() + ":" + e.bindPort())
                            .toArray(String[]::new));
            Set<String> targetGroups = new HashSet<>(Set.of(bootstrapTg));
            for (BrokerEndpoint e : g.endpoints()) {
                String tg = targetGroupOf(listeners.get(e.advertisedPort()));
                assertThat(targetGroups.add(tg)).as("target group per port").isTrue();
                assertThat(r.get("aws_lb_target_group").get(tg).get("port").asInt()).isEqualTo(g.group().bindPort());
                assertThat(targets(r, tg)).containsExactly(e.broker().instanceId().orElseThrow() + ":" + e.bindPort());
            }
            JsonNode service = r.get("aws_vpc_endpoint_service").get(lb);
            assertThat(ref(service.get("network_load_balancer_arns").get(0))).isEqualTo("aws_lb." + lb + ".arn");
            assertThat(service.get("allowed_principals").get(0).asText()).isEqualTo(g.group().consumer().get());
        }
        assertThat(r).doesNotContainKey("aws_vpc_endpoint_service_allowed_principal");
    }

    private static String targetGroupOf(JsonNode listener) {
        String arn = ref(listener.get("default_action").get(0).get("target_group_arn"));
        return arn.substring("aws_lb_target_group.".length(), arn.length() - ".arn".length());
    }

    private static List<String> targets(Map<String, Map<String, JsonNode>> r, String targetGroup) {
        return r.get("aws_lb_target_group_attachment").values().stream()
                .filter(a -> ref(a.get("target_group_arn")).equals("aws_lb_target_group." + targetGroup + ".arn"))
                .map(a -> a.get("target_id").asText() + ":" + a.get("port").asInt()).toList();
    }

    @Test
    void gcpMapsEveryAdvertisedPortToItsBrokerAndHasNoBootstrap() throws Exception {
        Deployment d = Examples.spec("gcp.yaml");
        Map<String, Map<String, JsonNode>> r = resources(Examples.plan("gcp.yaml"));
        assertThat(r.get("google_compute_region_network_endpoint_group").get("external")
                .get("network_endpoint_type").asText()).isEqualTo("GCE_VM_IP_PORTMAP");
        Map<Integer, String> byClientPort = new HashMap<>();
        r.get("google_compute_region_network_endpoint").values().forEach(e -> assertThat(byClientPort.put(
                e.get("client_destination_port").asInt(),
                e.get("ip_address").asText() + ":" + e.get("port").asInt())).isNull());
        Map<Integer, String> expected = new HashMap<>();
        d.portPlan().group("EXTERNAL").endpoints().forEach(e -> expected.put(e.advertisedPort(), e.target()));
        assertThat(byClientPort).isEqualTo(expected);
        assertThat(r.get("google_compute_forwarding_rule").get("external").get("all_ports").asBoolean()).isTrue();
        assertThat(r.get("google_compute_subnetwork").get("psc_nat").get("purpose").asText())
                .isEqualTo("PRIVATE_SERVICE_CONNECT");
        JsonNode attachment = r.get("google_compute_service_attachment").get("external");
        assertThat(attachment.get("enable_proxy_protocol").asBoolean()).isFalse();
        assertThat(attachment.get("consumer_accept_lists").get(0).get("project_id_or_num").asText())
                .isEqualTo("consumer-project-1");
        assertThat(r.get("google_compute_firewall").get("external_from_psc").get("allow").get(0).get("ports")
                .get(0).asText()).isEqualTo("39092");
    }

    @Test
    void alicloudHasOneListenerAndServerGroupPerPortPlusBootstrap() throws Exception {
        Deployment d = Examples.spec("alicloud.yaml");
        Map<String, Map<String, JsonNode>> r = resources(Examples.plan("alicloud.yaml"));
        GroupPlan g = d.portPlan().group("EXTERNAL");
        Map<Integer, String> serverGroupByPort = new HashMap<>();
        r.get("alicloud_nlb_listener").values().forEach(l -> assertThat(serverGroupByPort.put(
                l.get("listener_port").asInt(), ref(l.get("server_group_id")))).isNull());
        assertThat(serverGroupByPort.keySet()).containsExactlyInAnyOrder(9092, 9093, 9094, 9095);
        assertThat(new HashSet<>(serverGroupByPort.values())).hasSize(4);
        for (BrokerEndpoint e : g.endpoints()) {
            String sg = serverGroupByPort.get(e.advertisedPort());
            List<String> members = r.get("alicloud_nlb_server_group_server_attachment").values().stream()
                    .filter(a -> ref(a.get("server_group_id")).equals(sg))
                    .map(a -> a.get("server_ip").asText() + ":" + a.get("port").asInt()).toList();
            assertThat(members).containsExactly(e.target());
        }
        String bootstrap = serverGroupByPort.get(9092);
        assertThat(r.get("alicloud_nlb_server_group_server_attachment").values().stream()
                .filter(a -> ref(a.get("server_group_id")).equals(bootstrap))).hasSize(3);
        assertThat(r.get("alicloud_privatelink_vpc_endpoint_service_user").get("external").get("user_id").asText())
                .isEqualTo("5123456789012345");
        assertThat(r.get("alicloud_privatelink_vpc_endpoint_service_resource").values())
                .allSatisfy(x -> assertThat(x.get("resource_type").asText()).isEqualTo("nlb"));
    }

    @Test
    void fortyBrokersInTwoGroupsGiveTwoLoadBalancersOf41ListenersEach() throws Exception {
        Deployment d = Examples.read(LargeClusterTest.spec(40, true));
        Map<String, Map<String, JsonNode>> r = resources(Planner.plan(d, "spec.yaml", Map.of(), false));
        assertThat(r.get("aws_lb")).hasSize(2);
        assertThat(r.get("aws_lb_listener")).hasSize(2 * 41);
        assertThat(r.get("aws_lb_target_group")).hasSize(2 * 41);
        assertThat(r.get("aws_lb_target_group_attachment")).hasSize(2 * (40 + 40));
    }
}
