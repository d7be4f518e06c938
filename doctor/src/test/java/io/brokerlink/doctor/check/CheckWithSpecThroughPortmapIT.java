package io.brokerlink.doctor.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.Deployment;
import io.brokerlink.core.HostPort;
import io.brokerlink.core.spec.SpecReader;
import io.brokerlink.doctor.Code;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.portmap.BrokerRoute;
import io.brokerlink.gateway.portmap.HealthCheckConfig;
import io.brokerlink.gateway.portmap.PortGroup;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code doctor check --spec}: the reference portmap setup of {@link CheckThroughPortmapIT} (its free-port search
 * and gateway start) on this test's own addresses, checked against a deployment spec read by core's reader. The
 * spec that matches the sandbox is all OK; one that plans a 4th broker reports it missing from the metadata.
 */
class CheckWithSpecThroughPortmapIT {

    static final String GATEWAY_ADDRESS = "127.0.80.10";
    static final String DOMAIN = CheckThroughPortmapIT.DOMAIN;
    static SandboxCluster cluster;
    static int bootstrapPort;
    static int firstBrokerPort;

    @BeforeAll
    static void startCluster() {
        bootstrapPort = CheckThroughPortmapIT.freeRange(GATEWAY_ADDRESS, 4);
        firstBrokerPort = bootstrapPort + 1;
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.80.1")
                .advertisedPortBase(firstBrokerPort).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static PortmapConfig portmap() {
        List<BrokerRoute> routes = new ArrayList<>();
        for (SandboxNode n : cluster.nodes()) {
            routes.add(new BrokerRoute(n.nodeId(), n.advertisedPort(), new HostPort(n.address(), n.externalPort()),
                    Optional.of(n.advertisedExternal())));
        }
        return new PortmapConfig(
                new CommonSettings(new AdminConfig(new HostPort(GATEWAY_ADDRESS, 0)), Duration.ofSeconds(1), 1000),
                GATEWAY_ADDRESS, new HealthCheckConfig(Duration.ofMillis(500), Duration.ofMillis(300), 1, 2),
                List.of(new PortGroup("EXTERNAL", OptionalInt.of(bootstrapPort), routes)));
    }

    static final String SANDBOX_BROKERS = String.join("\n",
            "  - {node-id: 1, host: 127.0.80.1, zone: usw2-az1, roles: [broker, controller]}",
            "  - {node-id: 2, host: 127.0.80.2, zone: usw2-az2, roles: [broker, controller]}",
            "  - {node-id: 3, host: 127.0.80.3, zone: usw2-az3, roles: [broker, controller]}");

    /** The sandbox as a spec: the reference pattern, its ports, one broker per AZ, plus {@code extraBrokers}. */
    static Deployment spec(String extraBrokers) throws Exception {
        return spec("sandbox.yaml", SANDBOX_BROKERS + "\n" + extraBrokers);
    }

    /** The sandbox's zones, listeners and EXTERNAL group with the given {@code brokers:} lines. */
    static Deployment spec(String name, String brokers) throws Exception {
        String yaml = String.join("\n",
                "cloud: generic",
                "region: us-west-2",
                "name: sandbox",
                "cluster: new",
                "zones: [usw2-az1, usw2-az2, usw2-az3]",
                "listeners:",
                "  internal: {name: INTERNAL, port: 9092}",
                "  controller: {name: CONTROLLER, port: 29092}",
                "groups:",
                "  - name: EXTERNAL",
                "    pattern: \"<broker_id>.<az_id>." + DOMAIN + ":<port>\"",
                "    bind-port: 39092",
                "    advertised-port-start: " + firstBrokerPort,
                "    bootstrap-port: " + bootstrapPort,
                "brokers:",
                brokers, "");
        return SpecReader.read(name, yaml);
    }

    static CheckOptions options(Deployment spec) {
        return new CheckOptions(List.of(new HostPort("bootstrap." + DOMAIN, bootstrapPort)),
                ResolveRules.parse(List.of("*." + DOMAIN + "=" + GATEWAY_ADDRESS)), null, false, false,
                Duration.ofSeconds(3), PlannedGroup.fromSpec(spec, "sandbox.yaml", "EXTERNAL"));
    }

    @Test
    void specOfTheSandboxIsAllOkAndAPlannedFourthBrokerIsMissing() throws Exception {
        try (RunningGateway gateway = CheckThroughPortmapIT.start(portmap())) {
            CheckReport ok = LiveCheck.run(options(spec("")), System.err);
            String human = ok.toHuman(false);
            assertThat(ok.findings()).as(human).isEmpty();
            assertThat(ok.ok()).isTrue();
            assertThat(ok.brokers()).extracting(CheckReport.BrokerResult::status)
                    .containsExactly(Status.OK, Status.OK, Status.OK);
            assertThat(ok.dataPath().status()).isEqualTo(Status.OK);

            String b4 = "b4.usw2-az1." + DOMAIN + ":" + (firstBrokerPort + 3);
            CheckReport missing = LiveCheck.run(options(
                    spec("  - {node-id: 4, host: 127.0.80.4, zone: usw2-az1, roles: [broker]}")), System.err);
            String missingHuman = missing.toHuman(false);
            assertThat(missing.ok()).isFalse();
            assertThat(missing.findings()).as(missingHuman).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo(Code.BL215);
                assertThat(f.subject()).isEqualTo(b4);
                assertThat(f.message()).contains("node 4 (planned at " + b4 + " in EXTERNAL) is not in the metadata")
                        .contains("lists nodes [1, 2, 3]");
            });
            // the three real brokers are still checked and OK
            assertThat(missing.brokers()).extracting(CheckReport.BrokerResult::status)
                    .containsExactly(Status.OK, Status.OK, Status.OK);
            io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(missing));
            assertThat(missingHuman).contains("error BL215").endsWith("RESULT: 1 error\n");
        }
    }

    /**
     * The cluster and the spec disagree the other two ways: the spec leaves out node 3 (BL216, a broker nobody
     * planned) and puts node 1 in another AZ, so its planned name differs from what it advertises (BL217).
     */
    @Test
    void anUnplannedBrokerAndAnAddressOffThePlanAreNamed() throws Exception {
        Deployment offPlan = spec("off-plan.yaml", String.join("\n",
                "  - {node-id: 1, host: 127.0.80.1, zone: usw2-az3, roles: [broker, controller]}",
                "  - {node-id: 2, host: 127.0.80.2, zone: usw2-az2, roles: [broker, controller]}"));
        try (RunningGateway gateway = CheckThroughPortmapIT.start(portmap())) {
            CheckReport report = LiveCheck.run(options(offPlan), System.err);
            String human = report.toHuman(false);
            assertThat(report.ok()).isFalse();
            String b1 = "b1.usw2-az1." + DOMAIN + ":" + firstBrokerPort;
            String b3 = "b3.usw2-az3." + DOMAIN + ":" + (firstBrokerPort + 2);
            assertThat(report.findings()).as(human).anySatisfy(f -> {
                assertThat(f.code()).isEqualTo(Code.BL217);
                assertThat(f.subject()).isEqualTo(b1);
                assertThat(f.message()).contains("node 1 advertises " + b1 + " but the spec's plan for EXTERNAL says b1.usw2-az3."
                        + DOMAIN + ":" + firstBrokerPort);
            }).anySatisfy(f -> {
                assertThat(f.code()).isEqualTo(Code.BL216);
                assertThat(f.subject()).isEqualTo(b3);
                assertThat(f.message()).contains("node 3 at " + b3 + " is in the metadata").contains("plans only nodes [1, 2]");
            });
            assertThat(report.findings()).extracting(f -> f.code()).doesNotContain(Code.BL215);
            io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(report));
            assertThat(human).contains("error BL216").contains("error BL217");
        }
    }
}
