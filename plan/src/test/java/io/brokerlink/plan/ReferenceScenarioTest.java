package io.brokerlink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The generated broker configs hold, value for value, what the seeds' KRaft layout holds, with the neutral domain
 * of the reference scenario and real hosts in place of {broker-nodeN-ip}; the seeds' copy-paste mistakes are absent.
 */
class ReferenceScenarioTest {

    private static Properties load(String content) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(content));
        return p;
    }

    @Test
    void awsBrokersMatchTheSeedsLayout() throws Exception {
        PlanFiles plan = Examples.plan("aws.yaml");
        String voters = "1@10.0.1.11:29092,2@10.0.2.12:29092,3@10.0.3.13:29092";
        String[] hosts = {"10.0.1.11", "10.0.2.12", "10.0.3.13"};
        for (int id = 1; id <= 3; id++) {
            Properties p = load(plan.get("brokers/" + id + "/server.properties"));
            String zone = "usw2-az" + id;
            assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
            assertThat(p.getProperty("node.id")).isEqualTo(Integer.toString(id));
            assertThat(p.getProperty("controller.quorum.voters")).isEqualTo(voters);
            assertThat(p.getProperty("listeners")).isEqualTo(
                    "INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092,EXTERNAL://0.0.0.0:39092,"
                            + "EXTERNAL2://0.0.0.0:39192");
            assertThat(p.getProperty("inter.broker.listener.name")).isEqualTo("INTERNAL");
            assertThat(p.getProperty("advertised.listeners")).isEqualTo("INTERNAL://" + hosts[id - 1] + ":9092,"
                    + "EXTERNAL://b" + id + "." + zone + ".abc.us-west-2.aws.plc.example.com:" + (9092 + id) + ","
                    + "EXTERNAL2://b" + id + "." + zone + ".xyz.us-west-2.aws.plc.example.com:" + (9192 + id));
            assertThat(p.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
            assertThat(p.getProperty("listener.security.protocol.map")).isEqualTo(
                    "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,EXTERNAL2:PLAINTEXT,"
                            + "SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
            assertThat(p.getProperty("log.dirs")).isEqualTo("./data");
            assertThat(p.getProperty("broker.rack")).isEqualTo(zone);
        }
    }

    @Test
    void alicloudSingleGroupIsExactlyTheSeedsFileApartFromHostsDomainAndRack() throws Exception {
        PlanFiles plan = Examples.plan("alicloud.yaml");
        String expected = """
                process.roles=broker,controller
                node.id=2
                controller.quorum.voters=1@10.0.1.11:29092,2@10.0.2.12:29092,3@10.0.3.13:29092
                listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29092,EXTERNAL://0.0.0.0:39092
                inter.broker.listener.name=INTERNAL
                advertised.listeners=INTERNAL://10.0.2.12:9092,EXTERNAL://b2.unique_name.alicloud.plc.example.com:9094
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
                log.dirs=./data
                broker.rack=ap-southeast-1b
                """;
        String actual = plan.get("brokers/2/server.properties").lines().filter(l -> !l.startsWith("#"))
                .reduce("", (a, l) -> a + l + "\n");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void seedsCopyPasteMistakesAreAbsent() throws Exception {
        for (String example : new String[] {"aws.yaml", "gcp.yaml", "alicloud.yaml", "generic.yaml"}) {
            PlanFiles plan = Examples.plan(example);
            for (int id = 1; id <= 3; id++) {
                Properties p = load(plan.get("brokers/" + id + "/server.properties"));
                String advertised = p.getProperty("advertised.listeners");
                // The seeds advertise b2 on node.id=3: every EXTERNAL name here starts with b + its own node.id.
                for (String entry : advertised.split(",")) {
                    if (entry.startsWith("EXTERNAL")) {
                        assertThat(entry).as(example + " node " + id).contains("://b" + id + ".");
                        for (int other = 1; other <= 3; other++) {
                            if (other != id) {
                                assertThat(entry).doesNotContain("://b" + other + ".");
                            }
                        }
                    }
                }
                // The seeds put an AZ label into one broker's name only: here either all carry theirs or none.
                String zone = p.getProperty("broker.rack");
                boolean carriesZone = advertised.contains("." + zone + ".");
                boolean patternHasZone = example.equals("aws.yaml") || example.equals("generic.yaml");
                assertThat(carriesZone).as(example + " node " + id + " AZ label").isEqualTo(patternHasZone);
                assertThat(advertised).doesNotContain("ap-southeast-1c.unique_name");
            }
        }
    }

    @Test
    void samePlanTwiceGivesTheSameBytes() throws Exception {
        for (String example : new String[] {"aws.yaml", "gcp.yaml", "alicloud.yaml", "generic.yaml", "sandbox.yaml"}) {
            assertThat(Examples.plan(example).files()).isEqualTo(Examples.plan(example).files());
        }
    }
}
