package io.brokerlink.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A running cluster gets only the changed keys, merged into its current files when given, plus a checklist. */
class ExistingClusterTest {

    private static Deployment existing() throws Exception {
        String spec = java.nio.file.Files.readString(Examples.DIR.resolve("aws.yaml")).replace("cluster: new",
                "cluster: existing");
        return Examples.read(spec);
    }

    static final String CURRENT_2 = """
            # broker-node2, hand-made
            process.roles=broker,controller
            node.id=2
            controller.quorum.voters=1@10.0.1.11:29092,2@10.0.2.12:29092,3@10.0.3.13:29092
            listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092
            inter.broker.listener.name=INTERNAL
            advertised.listeners=INTERNAL://10.0.2.12:9092
            controller.listener.names=CONTROLLER
            listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
            log.dirs=/var/lib/kafka
            num.partitions=6
            """;

    @Test
    void withoutCurrentFilesTheChangesNameEveryAddedEntry() throws Exception {
        PlanFiles plan = Planner.plan(existing(), "aws.yaml", Map.of(), false);
        assertThat(plan.files()).doesNotContainKey("brokers/1/server.properties");
        assertThat(plan.get("brokers/1/changes.properties"))
                .contains("#   listeners += EXTERNAL://0.0.0.0:39092")
                .contains("#   advertised.listeners += EXTERNAL2://b1.usw2-az1.xyz.us-west-2.aws.plc.example.com:9193")
                .contains("\nadvertised.listeners=INTERNAL://10.0.1.11:9092,"
                        + "EXTERNAL://b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093,"
                        + "EXTERNAL2://b1.usw2-az1.xyz.us-west-2.aws.plc.example.com:9193\n")
                .doesNotContain("process.roles").doesNotContain("log.dirs");
        assertThat(plan.get("ROLLING-RESTART.md")).contains("## 1. broker-node1").contains("## 3. broker-node3")
                .contains("--describe --under-replicated-partitions");
    }

    @Test
    void currentFileIsMergedKeepingEverythingElse() throws Exception {
        CurrentConfig current = CurrentConfig.parse("node2.properties", CURRENT_2);
        PlanFiles plan = Planner.plan(existing(), "aws.yaml", Map.of(2, current), false);
        String merged = plan.get("brokers/2/server.properties");
        assertThat(merged).isEqualTo(CURRENT_2
                .replace("listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092",
                        "listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092,EXTERNAL://0.0.0.0:39092,"
                                + "EXTERNAL2://0.0.0.0:39192")
                .replace("advertised.listeners=INTERNAL://10.0.2.12:9092",
                        "advertised.listeners=INTERNAL://10.0.2.12:9092,"
                                + "EXTERNAL://b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094,"
                                + "EXTERNAL2://b2.usw2-az2.xyz.us-west-2.aws.plc.example.com:9194")
                .replace("map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,EXTERNAL2:PLAINTEXT"));
        assertThat(plan.get("brokers/2/changes.properties")).contains("listeners=").doesNotContain("log.dirs");
        // planning again on the merged file changes nothing
        PlanFiles again = Planner.plan(existing(), "aws.yaml",
                Map.of(2, CurrentConfig.parse("node2.properties", merged)), false);
        assertThat(again.get("brokers/2/changes.properties")).contains("Nothing to change");
        assertThat(again.get("brokers/2/server.properties")).isEqualTo(merged);
    }

    @Test
    void currentFileOfAnotherNodeIsRefused() throws Exception {
        CurrentConfig wrong = CurrentConfig.parse("node3.properties", CURRENT_2.replace("node.id=2", "node.id=3"));
        assertThatThrownBy(() -> Planner.plan(existing(), "aws.yaml", Map.of(2, wrong), false))
                .isInstanceOf(PlanException.class)
                .hasMessage("node3.properties:3 node.id: 3 but the file was given as --current 2=...;"
                        + " pass the file of node 2");
        assertThatThrownBy(() -> Planner.plan(existing(), "aws.yaml", Map.of(7, wrong), false))
                .hasMessage("--current 7=node3.properties: node 7 is not in the spec (nodes 1, 2, 3)");
    }
}
