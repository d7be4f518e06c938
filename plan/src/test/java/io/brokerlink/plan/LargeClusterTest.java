package io.brokerlink.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.Deployment;
import io.brokerlink.core.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

/** 40 brokers in two groups fit AWS's 50 listeners per load balancer; 60 in one group are refused, with why. */
class LargeClusterTest {

    static String spec(int brokers, boolean twoGroups) {
        StringBuilder s = new StringBuilder("""
                cloud: aws
                region: us-west-2
                zones: [usw2-az1, usw2-az2, usw2-az3]
                groups:
                  - name: EXTERNAL
                    pattern: "<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>"
                    bind-port: 39092
                    advertised-port-start: 10001
                    bootstrap-port: 9092
                    consumer: "arn:aws:iam::123456789012:root"
                """);
        if (twoGroups) {
            s.append("""
                      - name: EXTERNAL2
                        pattern: "<broker_id>.<az_id>.xyz.us-west-2.aws.plc.example.com:<port>"
                        bind-port: 39192
                        advertised-port-start: 11001
                        bootstrap-port: 9192
                        consumer: "arn:aws:iam::210987654321:root"
                    """);
        }
        s.append("brokers:\n");
        for (int i = 1; i <= brokers; i++) {
            s.append("  - {node-id: ").append(i).append(", host: 10.0.").append(i % 3 + 1).append('.').append(i)
                    .append(", zone: usw2-az").append(i % 3 + 1).append(", roles: [")
                    .append(i <= 3 ? "broker, controller" : "broker").append("]}\n");
        }
        return s.toString();
    }

    @Test
    void fortyBrokersInTwoGroupsPlanFine() throws Exception {
        Deployment d = Examples.read(spec(40, true));
        PlanFiles plan = Planner.plan(d, "spec.yaml", java.util.Map.of(), false);
        assertThat(d.portPlan().groups()).allSatisfy(g -> assertThat(g.listenerCount()).isEqualTo(41));
        assertThat(d.portPlan().group("EXTERNAL2").highestPort()).isEqualTo(11040);
        assertThat(plan.files().keySet()).filteredOn(p -> p.startsWith("brokers/")).hasSize(40);
        assertThat(plan.get("brokers/40/server.properties"))
                .contains("EXTERNAL://b40.usw2-az2.abc.us-west-2.aws.plc.example.com:10040")
                .contains("controller.quorum.voters=1@10.0.2.1:29092,2@10.0.3.2:29092,3@10.0.1.3:29092");
    }

    @Test
    void sixtyBrokersInOneAwsGroupAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Examples.read(spec(60, false)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("spec.yaml:5 groups[0]: group EXTERNAL needs 61 load-balancer listeners"
                        + " (60 brokers + bootstrap)")
                .hasMessageContaining("allows 50 listeners and that limit is not adjustable")
                .hasMessageContaining("refused rather than split");
    }
}
