package io.brokerlink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.UniqueName;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The files beside the broker configs: gateway.yaml, port maps, CONNECT.md, pictures, PLAN.md. */
class PlanOutputsTest {

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void sandboxGatewayYamlHasTheAgreedShape() throws Exception {
        JsonNode g = new YAMLMapper().readTree(Examples.plan("sandbox.yaml").get("gateway.yaml"));
        assertThat(keys(g)).containsExactly("mode", "bind-address", "health-check", "groups");
        assertThat(g.get("mode").asText()).isEqualTo("portmap");
        assertThat(g.get("bind-address").asText()).isEqualTo("127.0.0.1");
        assertThat(keys(g.get("health-check")))
                .containsExactly("interval-ms", "timeout-ms", "healthy-threshold", "unhealthy-threshold");
        assertThat(g.get("health-check").get("interval-ms").asInt()).isEqualTo(2000);
        JsonNode group = g.get("groups").get(0);
        assertThat(keys(group)).containsExactly("name", "bootstrap-port", "brokers");
        assertThat(group.get("name").asText()).isEqualTo("EXTERNAL");
        assertThat(group.get("bootstrap-port").asInt()).isEqualTo(9092);
        JsonNode b1 = group.get("brokers").get(0);
        assertThat(keys(b1)).containsExactly("node-id", "listen-port", "target", "advertised");
        assertThat(b1.get("node-id").asInt()).isEqualTo(1);
        assertThat(b1.get("listen-port").asInt()).isEqualTo(9093);
        assertThat(b1.get("target").asText()).isEqualTo("127.0.1.1:39092");
        assertThat(b1.get("advertised").asText()).isEqualTo("b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093");
        assertThat(group.get("brokers")).extracting(b -> b.get("target").asText())
                .containsExactly("127.0.1.1:39092", "127.0.1.2:39092", "127.0.1.3:39092");
    }

    @Test
    void gcpGatewayGroupOmitsTheBootstrapPortAndConnectListsBrokerPorts() throws Exception {
        PlanFiles plan = Examples.plan("gcp.yaml");
        JsonNode group = new YAMLMapper().readTree(plan.get("gateway.yaml")).get("groups").get(0);
        assertThat(keys(group)).containsExactly("name", "brokers");
        assertThat(plan.get("CONNECT.md")).contains("- Bootstrap ports: `9093,9094,9095`")
                .contains("do not add 9092").doesNotContain("`9092");
        assertThat(plan.get("CONNECT.md")).contains("terraform output -raw external_service_attachment");
        JsonNode json = new ObjectMapper().readTree(plan.get("portmap.json")).get("groups").get(0);
        assertThat(json.get("bootstrap").isNull()).isTrue();
        assertThat(json.get("consumer-bootstrap-ports")).extracting(JsonNode::asInt).containsExactly(9093, 9094, 9095);
    }

    @Test
    void awsConnectGivesTheBootstrapPortAndTheServiceNameOutputPerGroup() throws Exception {
        PlanFiles plan = Examples.plan("aws.yaml");
        String connect = plan.get("CONNECT.md");
        assertThat(connect).contains("## EXTERNAL\n").contains("## EXTERNAL2\n")
                .contains("- Bootstrap ports: `9092`").contains("- Bootstrap ports: `9192`")
                .contains("`terraform output -raw external_endpoint_service_name`")
                .contains("`terraform output -raw external2_endpoint_service_name`")
                .contains("`<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>`")
                .contains("| `b3.usw2-az3.xyz.us-west-2.aws.plc.example.com:9195` | broker 3 (`10.0.3.13:39192`");
        assertThat(plan.get("terraform/outputs.tf")).contains("aws_vpc_endpoint_service.external2.service_name");
        JsonNode map = new ObjectMapper().readTree(plan.get("portmap.json"));
        JsonNode external2 = map.get("groups").get(1);
        assertThat(external2.get("bootstrap").get("port").asInt()).isEqualTo(9192);
        assertThat(external2.get("brokers")).extracting(b -> b.get("advertised-port").asInt())
                .containsExactly(9193, 9194, 9195);
        assertThat(plan.get("portmap.md")).contains(
                "| 2 | usw2-az2 | `b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094` | 9094 | `10.0.2.12:39092` | 39092 |");
    }

    @Test
    void planIndexHasAMermaidDiagramPerGroupAndTheSvgAPanelPerGroup() throws Exception {
        PlanFiles plan = Examples.plan("aws.yaml");
        String index = plan.get("PLAN.md");
        assertThat(index.split("```mermaid", -1)).hasSize(3);
        assertThat(index).contains("p9092 -.-> b1").contains("p9092 -.-> b3").contains("p9194 --> b2")
                .contains("subgraph usw2_az1[\"usw2-az1\"]").contains("![topology](topology.svg)");
        String svg = plan.get("topology.svg");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg).contains("<g id=\"group-external\">").contains("<g id=\"group-external2\">")
                .contains("LB :9092").contains("LB :9195").contains("zone usw2-az3")
                .contains("b2  10.0.2.12:39192");
        // bootstrap fan-out: one dashed line from the bootstrap port to each of the 3 brokers, per group
        assertThat(svg.split("stroke-dasharray=\"5 4\"", -1)).hasSize(1 + 2 * 3);
    }

    @Test
    void idleTimeoutReachesEveryAwsListenerAndAlibabaServiceNameIsItsPrivateLinkName() throws Exception {
        String spec = java.nio.file.Files.readString(Examples.DIR.resolve("aws.yaml"))
                .replace("  cross-zone: true\n", "  cross-zone: true\n  idle-timeout-seconds: 900\n");
        PlanFiles plan = Planner.plan(Examples.read(spec), "aws.yaml", Map.of(), false);
        assertThat(plan.get("terraform/external.tf").split("tcp_idle_timeout_seconds = 900", -1)).hasSize(1 + 4);
        assertThat(plan.get("PLAN.md")).doesNotContain("closes idle TCP flows after 350 s");
        assertThat(Examples.plan("aws.yaml").get("PLAN.md")).contains("closes idle TCP flows after 350 s");
        assertThat(Examples.plan("alicloud.yaml").get("terraform/outputs.tf")).contains(
                "\"com.aliyuncs.privatelink.ap-southeast-1.${alicloud_privatelink_vpc_endpoint_service.external.id}\"");
    }

    @Test
    void alibabaSecondRoundReplacesUniqueNameAndGivesTheAdvertisedListenersChange() throws Exception {
        Deployment round1 = Examples.spec("alicloud.yaml");
        assertThat(Examples.plan("alicloud.yaml").get("PLAN.md")).contains("Round 1 of 2");
        Deployment round2 = round1.withUniqueName(new UniqueName("k7x2p9"));
        PlanFiles plan = Planner.plan(round2, "alicloud.yaml", Map.of(), true);
        assertThat(plan.get("brokers/3/unique-name-round.properties")).endsWith(
                "advertised.listeners=INTERNAL://10.0.3.13:9092,EXTERNAL://b3.k7x2p9.alicloud.plc.example.com:9095\n");
        assertThat(plan.get("brokers/1/server.properties")).contains("b1.k7x2p9.alicloud.plc.example.com:9093")
                .doesNotContain("unique_name");
        assertThat(plan.get("ROLLING-RESTART.md")).contains("under-replicated partitions = 0");
        assertThat(plan.get("CONNECT.md")).contains("`<broker_id>.k7x2p9.alicloud.plc.example.com:<port>`");
    }
}
