package io.brokerlink.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.core.Deployment;
import io.brokerlink.core.UniqueName;
import io.brokerlink.core.SpecException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Every kind of invalid spec gets its own one-line error naming the file, the line and the field. */
class SpecValidationTest {

    /** Line numbers below refer to this text. */
    static final String VALID = """
            cloud: aws
            region: us-west-2
            zones: [usw2-az1, usw2-az2, usw2-az3]
            listeners:
              internal: {name: INTERNAL, port: 9092}
              controller: {name: CONTROLLER, port: 29092}
            groups:
              - name: EXTERNAL
                pattern: "<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>"
                bind-port: 39092
                advertised-port-start: 9093
                bootstrap-port: 9092
                consumer: "arn:aws:iam::123456789012:root"
            brokers:
              - node-id: 1
                host: 10.0.1.11
                zone: usw2-az1
              - node-id: 2
                host: 10.0.2.12
                zone: usw2-az2
              - node-id: 3
                host: 10.0.3.13
                zone: usw2-az3
            """;

    static final String SECOND_GROUP = """
              - name: EXTERNAL2
                pattern: "<broker_id>.<az_id>.xyz.us-west-2.aws.plc.example.com:<port>"
                bind-port: 39192
                advertised-port-start: 9193
                bootstrap-port: 9192
                consumer: "arn:aws:iam::210987654321:root"
            """;

    private static String edit(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    private static String withSecondGroup(String from, String to) {
        String spec = VALID.replace("brokers:\n", SECOND_GROUP + "brokers:\n");
        assertThat(spec).contains(from);
        return spec.replace(from, to);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String spec) {
        return assertThatThrownBy(() -> SpecReader.read("spec.yaml", spec)).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void theBaseSpecIsValid() throws Exception {
        Deployment d = SpecReader.read("spec.yaml", VALID);
        assertThat(d.portPlan().group("EXTERNAL").endpoints()).extracting(e -> e.advertised()).containsExactly(
                "b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093",
                "b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094",
                "b3.usw2-az3.abc.us-west-2.aws.plc.example.com:9095");
        assertThat(SpecReader.read("spec.yaml", withSecondGroup("x", "x")).portPlan().groups()).hasSize(2);
    }

    @Test
    void brokerInAnUnknownZone() {
        refused(edit("zone: usw2-az2", "zone: usw2-az4")).hasMessage(
                "spec.yaml:20 brokers[1].zone: \"usw2-az4\" is not one of the zones (usw2-az1, usw2-az2, usw2-az3)");
    }

    @Test
    void duplicateNodeIds() {
        refused(edit("node-id: 3", "node-id: 1")).hasMessage(
                "spec.yaml:21 brokers[2].node-id: node id 1 is already used by brokers[0]; node ids must be unique");
    }

    @Test
    void patternWithoutBrokerId() {
        refused(edit("\"<broker_id>.<az_id>.abc", "\"kafka.<az_id>.abc"))
                .hasMessageStartingWith("spec.yaml:9 groups[0].pattern: pattern \"kafka.<az_id>.abc")
                .hasMessageContaining("has no <broker_id> placeholder");
    }

    @Test
    void patternWithoutPort() {
        refused(edit("example.com:<port>\"", "example.com:9093\""))
                .hasMessageStartingWith("spec.yaml:9 groups[0].pattern: ")
                .hasMessageContaining("must end with :<port>");
    }

    @Test
    void awsPatternNamingAnotherAz() {
        refused(edit("<broker_id>.<az_id>.abc", "<broker_id>.usw2-az1.abc")).hasMessage(
                "spec.yaml:20 brokers[1].zone: broker 2 is in usw2-az2 but group EXTERNAL's pattern"
                        + " \"<broker_id>.usw2-az1.abc.us-west-2.aws.plc.example.com:<port>\" names usw2-az1;"
                        + " use <az_id> or one pattern per zone (patterns:)");
    }

    @Test
    void awsPerZonePatternForTheWrongAz() {
        refused(edit("    pattern: \"<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>\"\n", """
                    patterns:
                      usw2-az1: "<broker_id>.usw2-az1.abc.us-west-2.aws.plc.example.com:<port>"
                      usw2-az2: "<broker_id>.usw2-az3.abc.us-west-2.aws.plc.example.com:<port>"
                      usw2-az3: "<broker_id>.usw2-az3.abc.us-west-2.aws.plc.example.com:<port>"
                """)).hasMessage("spec.yaml:11 groups[0].patterns.usw2-az2: pattern"
                + " \"<broker_id>.usw2-az3.abc.us-west-2.aws.plc.example.com:<port>\" names zone usw2-az3"
                + " but is given for zone usw2-az2");
    }

    @Test
    void twoBrokersOnOneAdvertisedPort() {
        refused(edit("advertised-port-start: 9093", "advertised-ports: {1: 9093, 2: 9093, 3: 9095}")).hasMessage(
                "spec.yaml:11 groups[0].advertised-ports.2: port 9093 is already advertised by node 1;"
                        + " every broker needs its own advertised port");
    }

    @Test
    void twoGroupsWithOverlappingRanges() {
        refused(withSecondGroup("advertised-port-start: 9193", "advertised-port-start: 9094")).hasMessage(
                "spec.yaml:17 groups[1].advertised-port-start: advertised range 9094-9096 of group EXTERNAL2"
                        + " overlaps range 9093-9095 of group EXTERNAL; two groups cannot share advertised ports");
    }

    @Test
    void rangeOverlappingABootstrapPort() {
        refused(withSecondGroup("bootstrap-port: 9192", "bootstrap-port: 9094")).hasMessage(
                "spec.yaml:11 groups[0].advertised-port-start: advertised range 9093-9095 of group EXTERNAL"
                        + " contains the bootstrap port 9094 of group EXTERNAL2");
    }

    @Test
    void rangeOverlappingTheInternalPort() {
        refused(edit("advertised-port-start: 9093", "advertised-port-start: 9091")).hasMessage(
                "spec.yaml:11 groups[0].advertised-port-start: advertised range 9091-9093 of group EXTERNAL"
                        + " contains the INTERNAL port 9092");
    }

    @Test
    void rangeOverlappingTheControllerPort() {
        refused(edit("advertised-port-start: 9093", "advertised-port-start: 29090")).hasMessage(
                "spec.yaml:11 groups[0].advertised-port-start: advertised range 29090-29092 of group EXTERNAL"
                        + " contains the CONTROLLER port 29092");
    }

    @Test
    void portOutsideTheTcpRange() {
        refused(edit("bind-port: 39092", "bind-port: 70000"))
                .hasMessage("spec.yaml:10 groups[0].bind-port: 70000 is not a TCP port (1-65535)");
        refused(edit("advertised-port-start: 9093", "advertised-port-start: 65534")).hasMessage(
                "spec.yaml:11 groups[0].advertised-port-start: range 65534-65536 for 3 brokers runs past 65535;"
                        + " start lower");
    }

    @Test
    void genericCloudAskedForTerraform() {
        refused(edit("cloud: aws\n", "cloud: generic\nterraform: true\n")).hasMessageStartingWith(
                "spec.yaml:2 terraform: the generic cloud has no load balancer to write Terraform for");
    }

    @Test
    void uniqueNameNotLowerCaseLettersAndDigits() {
        refused(edit("    consumer:", "    unique-name: \"Abc-1\"\n    consumer:")).hasMessage(
                "spec.yaml:13 groups[0].unique-name: \"Abc-1\" must be 1-63 lower-case letters and digits,"
                        + " e.g. abc123");
        assertThatThrownBy(() -> new UniqueName("ABC")).isInstanceOf(SpecException.class)
                .hasMessageContaining("lower-case letters and digits");
    }

    @Test
    void googleCloudGroupWithABootstrapPort() {
        String gcp = VALID.replace("cloud: aws", "cloud: gcp").replace("usw2-az", "us-west1-")
                .replace("<az_id>.", "").replace("arn:aws:iam::123456789012:root", "consumer-project-1")
                .replace("zone: us-west1-1\n", "zone: us-west1-1\n    instance-id: vm-1\n")
                .replace("zone: us-west1-2\n", "zone: us-west1-2\n    instance-id: vm-2\n")
                .replace("zone: us-west1-3\n", "zone: us-west1-3\n    instance-id: vm-3\n");
        refused(gcp).hasMessageStartingWith("spec.yaml:12 groups[0].bootstrap-port: Google Cloud port mapping does"
                + " not load-balance, so there is no bootstrap port");
    }

    @Test
    void unknownKey() {
        refused(edit("region: us-west-2\n", "region: us-west-2\ncolour: blue\n"))
                .hasMessageStartingWith("spec.yaml:3 colour: unknown key; valid keys here are cloud, region");
        refused(edit("bind-port: 39092", "bind-port: 39092\n    bind_port: 39092"))
                .hasMessageStartingWith("spec.yaml:11 groups[0].bind_port: unknown key; valid keys here are name,");
    }

    @Test
    void wrongType() {
        refused(edit("bind-port: 39092", "bind-port: \"39092x\"")).hasMessage(
                "spec.yaml:10 groups[0].bind-port: expected a whole number, got the text \"39092x\"");
        refused(edit("zones: [usw2-az1, usw2-az2, usw2-az3]", "zones: usw2-az1")).hasMessage(
                "spec.yaml:3 zones: expected a list, got the text \"usw2-az1\"");
    }

    @Test
    void missingField() {
        refused(edit("    host: 10.0.2.12\n", "")).hasMessage(
                "spec.yaml:18 brokers[1].host: missing; give the internal host or IP other nodes reach this one at");
    }

    @Test
    void duplicateKey() {
        refused(edit("region: us-west-2\n", "region: us-west-2\nregion: us-east-1\n")).hasMessage(
                "spec.yaml:3 region: given twice (also on line 2); give each key once");
    }

    @Test
    void duplicateGroupNames() {
        refused(withSecondGroup("name: EXTERNAL2", "name: EXTERNAL")).hasMessage(
                "spec.yaml:14 groups[1].name: \"EXTERNAL\" is already the name of groups[0]; names must be unique");
    }

    @Test
    void sharedBindPort() {
        refused(withSecondGroup("bind-port: 39192", "bind-port: 29092")).hasMessage(
                "spec.yaml:16 groups[1].bind-port: 29092 is already bound by the CONTROLLER listener;"
                        + " every listener of a broker needs its own port");
    }

    @Test
    void unknownCloud() {
        refused(edit("cloud: aws", "cloud: azure"))
                .hasMessage("spec.yaml:1 cloud: \"azure\" is not one of aws, gcp, alicloud, generic");
    }

    @Test
    void consumerThatIsNotAnAwsPrincipal() {
        refused(edit("arn:aws:iam::123456789012:root", "123456789012")).hasMessage(
                "spec.yaml:13 groups[0].consumer: \"123456789012\" is not an AWS principal ARN,"
                        + " e.g. arn:aws:iam::123456789012:root");
    }

    @Test
    void yamlSyntaxError() {
        refused(edit("  - node-id: 2\n", "  - node-id: [2\n"))
                .hasMessageStartingWith("spec.yaml:19 not valid YAML: while parsing a flow sequence")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void errorsAreOneLine() {
        for (String[] change : new String[][] {{"zone: usw2-az2", "zone: nowhere"}, {"cloud: aws", "cloud: x"}}) {
            refused(edit(change[0], change[1])).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
