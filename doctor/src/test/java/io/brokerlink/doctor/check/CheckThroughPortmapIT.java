package io.brokerlink.doctor.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.doctor.Code;
import io.brokerlink.doctor.Finding;
import io.brokerlink.doctor.check.CheckReport.BrokerResult;
import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.portmap.BrokerRoute;
import io.brokerlink.gateway.portmap.HealthCheckConfig;
import io.brokerlink.gateway.portmap.PortGroup;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code doctor check} from the consumer's side through a portmap gateway (the software load balancer) in front of a
 * real 3-node sandbox: the reference scenario on loopback. Advertised names resolve through {@code --resolve} rules
 * to the gateway's address, exactly as the consumer's private DNS resolves them to the endpoint.
 */
class CheckThroughPortmapIT {

    static final String GATEWAY_ADDRESS = "127.0.40.10";
    static final String DOMAIN = "abc.us-west-2.aws.plc.example.com";
    static SandboxCluster cluster;
    static int bootstrapPort;
    static int firstBrokerPort;

    @BeforeAll
    static void startCluster() {
        // bootstrap port, then one port per broker, all free on the gateway's address
        bootstrapPort = freeRange(GATEWAY_ADDRESS, 4);
        firstBrokerPort = bootstrapPort + 1;
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.40.1")
                .advertisedPortBase(firstBrokerPort).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The reference mapping: bootstrap to every broker, advertised port of node n to node n's EXTERNAL listener. */
    static PortmapConfig portmap(UnaryOperator<List<BrokerRoute>> change) {
        List<BrokerRoute> routes = new ArrayList<>();
        for (SandboxNode n : cluster.nodes()) {
            routes.add(new BrokerRoute(n.nodeId(), n.advertisedPort(), new HostPort(n.address(), n.externalPort()),
                    java.util.Optional.of(n.advertisedExternal())));
        }
        return new PortmapConfig(
                new CommonSettings(new AdminConfig(new HostPort(GATEWAY_ADDRESS, 0)), Duration.ofSeconds(1), 1000),
                GATEWAY_ADDRESS, new HealthCheckConfig(Duration.ofMillis(500), Duration.ofMillis(300), 1, 2),
                List.of(new PortGroup("EXTERNAL", OptionalInt.of(bootstrapPort), change.apply(routes))));
    }

    static RunningGateway start(PortmapConfig config) throws InterruptedException {
        RunningGateway gateway = Gateway.start(config, new SimpleMeterRegistry());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!gateway.readiness().isReady() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return gateway;
    }

    static CheckOptions options() {
        return new CheckOptions(List.of(new HostPort("bootstrap." + DOMAIN, bootstrapPort)),
                ResolveRules.parse(List.of("*." + DOMAIN + "=" + GATEWAY_ADDRESS)), null, false, true,
                Duration.ofSeconds(3));
    }

    @Test
    void allOkThroughPortmap() throws Exception {
        try (RunningGateway gateway = start(portmap(r -> r))) {
            CheckReport report = LiveCheck.run(options(), System.err);
            String human = report.toHuman(false);
            assertThat(report.findings()).as(human).isEmpty();
            assertThat(report.ok()).isTrue();
            assertThat(report.bootstrap()).singleElement().satisfies(b -> {
                assertThat(b.status()).isEqualTo(Status.OK);
                assertThat(b.brokers()).isEqualTo(3);
                assertThat(b.resolvedTo()).isEqualTo(GATEWAY_ADDRESS);
            });
            assertThat(report.brokers()).extracting(BrokerResult::id, BrokerResult::reachedNode, BrokerResult::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1, Status.OK),
                            org.assertj.core.groups.Tuple.tuple(2, 2, Status.OK),
                            org.assertj.core.groups.Tuple.tuple(3, 3, Status.OK));
            assertThat(report.brokers().get(0).host()).isEqualTo("b1.usw2-az1." + DOMAIN);
            assertThat(report.brokers().get(0).apiVersions()).anySatisfy(a -> assertThat(a.api()).isEqualTo("Produce"));
            assertThat(human).contains("b2.usw2-az2." + DOMAIN + ":" + (firstBrokerPort + 1)
                    + " (id: 2 rack: usw2-az2) -> OK");
            // every broker led a partition, each record came back, the group committed through its coordinator
            assertThat(report.dataPath().status()).as(human).isEqualTo(Status.OK);
            assertThat(report.dataPath().partitions()).extracting(CheckReport.PartitionResult::leader)
                    .containsExactlyInAnyOrder(1, 2, 3);
            assertThat(report.dataPath().partitions()).allSatisfy(p -> assertThat(p.consumed()).isTrue());
            assertThat(report.dataPath().group().coordinator()).isIn(1, 2, 3);
            assertThat(report.dataPath().deleted()).isTrue();
            assertThat(probeTopics()).isEmpty();
            var json = io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(report));
            assertThat(json.get("brokers").get(1).get("reachedNode").asInt()).isEqualTo(2);
        }
    }

    @Test
    void crossWiredPortIsNamedWithTheNodeItReached() throws Exception {
        SandboxNode node3 = cluster.node(3);
        PortmapConfig crossWired = portmap(routes -> routes.stream().map(r -> r.nodeId() != 2 ? r
                : new BrokerRoute(2, r.listenPort(), new HostPort(node3.address(), node3.externalPort()),
                        r.advertised())).toList());
        try (RunningGateway gateway = start(crossWired)) {
            CheckReport report = LiveCheck.run(options(), System.err);
            String human = report.toHuman(false);
            String b2 = "b2.usw2-az2." + DOMAIN + ":" + (firstBrokerPort + 1);
            assertThat(report.ok()).isFalse();
            assertThat(report.brokers().get(1).status()).isEqualTo(Status.ERROR);
            assertThat(report.brokers().get(1).reachedNode()).isEqualTo(3);
            io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(report));
            assertThat(report.findings()).as(human).anySatisfy(f -> {
                assertThat(f.code()).isEqualTo(Code.BL213);
                assertThat(f.subject()).isEqualTo(b2);
                assertThat(f.message()).contains(b2 + " reached node 3 instead of node 2");
            });
            assertThat(report.brokers().get(0).status()).isEqualTo(Status.OK);
            assertThat(report.brokers().get(2).status()).isEqualTo(Status.OK);
            assertThat(human).contains(b2 + " (id: 2 rack: usw2-az2) -> ERROR: reached node 3 instead of node 2");
            // no finding calls it a timeout: the live step names the fault
            assertThat(report.findings().stream().filter(f -> f.code() == Code.BL213).map(Finding::message)
                    .collect(Collectors.joining())).doesNotContainIgnoringCase("timeout");
        }
    }

    @Test
    void closedBrokerPortIsReportedUnreachableAndTheOthersOk() throws Exception {
        PortmapConfig closed = portmap(routes -> routes.stream().filter(r -> r.nodeId() != 2).toList());
        try (RunningGateway gateway = start(closed)) {
            CheckReport report = LiveCheck.run(options(), System.err);
            String human = report.toHuman(false);
            assertThat(report.ok()).isFalse();
            assertThat(report.brokers()).extracting(BrokerResult::status)
                    .containsExactly(Status.OK, Status.ERROR, Status.OK);
            assertThat(report.brokers().get(1).error()).contains("refused");
            assertThat(report.findings()).as(human).anySatisfy(f -> {
                assertThat(f.code()).isEqualTo(Code.BL212);
                assertThat(f.message()).contains("node 2");
            });
            // partitions led by the reachable brokers work; the one led by node 2 does not
            assertThat(report.dataPath().partitions()).allSatisfy(p ->
                    assertThat(p.error() == null).as("partition %s led by %s", p.partition(), p.leader())
                            .isEqualTo(p.leader() != 2));
            assertThat(report.findings().stream().map(Finding::code).collect(Collectors.toSet()))
                    .contains(Code.BL212, Code.BL221).doesNotContain(Code.BL201, Code.BL213);
        }
    }

    static Set<String> probeTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            return admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(DataPathProbe.TOPIC_PREFIX)).collect(Collectors.toSet());
        }
    }

    /** A run of {@code count} consecutive ports free on {@code address}; returns the first. */
    static int freeRange(String address, int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20000, 30000);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.bind(new InetSocketAddress(address, first + i));
                }
                return first;
            } catch (IOException e) {
                // taken: try another run
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // released
                    }
                }
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on " + address);
    }
}
