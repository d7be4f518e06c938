package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.admin.AdminServer;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.testkit.Eventually;
import io.brokerlink.gateway.testkit.NewTopics;
import io.brokerlink.gateway.testkit.ReadyGateway;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.gateway.testkit.TwoListenerPortmap;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real Kafka clients and kcat through a portmap gateway in front of a real 3-node cluster, the way the private-link
 * path works: brokers advertise the gateway's names and ports, and the names resolve to the gateway.
 *
 * <p>Two listener groups, as in the reference scenario: EXTERNAL advertises the pattern's names (resolved through the
 * test hosts file, used by the Java clients); EXTERNAL2 advertises the gateway's IP literal, because kcat resolves
 * through the system resolver and cannot see the test hosts file. That second listener is why this cluster uses
 * free ports found at test time instead of {@code ephemeralPorts()}: its addresses go into
 * {@code advertised.listeners} before the nodes start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortmapKafkaIT {

    private static final String GATEWAY = "127.0.20.50";
    private static final List<String> NODES = List.of("127.0.20.1", "127.0.20.2", "127.0.20.3");
    private static final String DOMAIN = ".abc.us-west-2.aws.plc.example.com";

    private SandboxCluster cluster;
    private RunningGateway gateway;
    private AdminServer admin;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newHttpClient();
    private int readyzBeforeStart;
    private int base;
    private String bootstrap;
    private String bootstrap2;

    @BeforeAll
    void start() throws Exception {
        TwoListenerPortmap ports = TwoListenerPortmap.choose(GATEWAY, NODES, "EXTERNAL2");
        base = ports.base();
        bootstrap = GATEWAY + ":" + base;
        bootstrap2 = GATEWAY + ":" + ports.bootstrapPort(1);
        TwoListenerPortmap.AdvertisedHost advertised = (group, n) -> group == 0 ? brokerName(n) : GATEWAY;
        for (int n = 1; n <= 3; n++) {
            TestHosts.map(GATEWAY, brokerName(n));
        }
        cluster = ports.configure(SandboxCluster.builder(), advertised).advertisedPortBase(base + 1)
                .listenerSecurity("EXTERNAL2", "PLAINTEXT").start();
        PortmapConfig config = (PortmapConfig) GatewayConfigLoader.load("gateway.yaml", ports.gatewayYaml(
                "{interval-ms: 200, timeout-ms: 200, healthy-threshold: 1, unhealthy-threshold: 2}", advertised));

        AtomicReference<RunningGateway> running = new AtomicReference<>();
        admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0)), registry,
                () -> Optional.ofNullable(running.get()));
        readyzBeforeStart = get("/readyz").statusCode();
        gateway = ReadyGateway.start(config, registry);
        running.set(gateway);
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(admin, gateway, cluster);
    }

    private static String brokerName(int node) {
        return "b" + node + ".usw2-az" + node + DOMAIN;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Admin adminClient() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 10_000,
                "default.api.timeout.ms", 30_000));
    }

    private Map<String, Object> client(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        return Records.producer(client(extra));
    }

    private List<String> consume(String topic, int expected, String group, Map<String, Object> extra) {
        return Records.consume(client(extra), group, topic, expected, Duration.ofSeconds(60));
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin a = adminClient()) {
            NewTopics.createAndAwait(a, new NewTopic(name, partitions, (short) 3));
        }
    }

    @Test
    @Order(1)
    void adminClientCreatesATopicAndSeesOnlyGatewayAddresses() throws Exception {
        try (Admin a = adminClient()) {
            List<String> nodes = a.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(n -> n.host() + ":" + n.port()).sorted().toList();
            assertThat(nodes).containsExactly("b1.usw2-az1" + DOMAIN + ":" + (base + 1),
                    "b2.usw2-az2" + DOMAIN + ":" + (base + 2), "b3.usw2-az3" + DOMAIN + ":" + (base + 3));
            NewTopics.createAndAwait(a, new NewTopic("orders", 6, (short) 3));
            // Every partition's leader is reached through its own gateway port.
            Set<Integer> leaders = new HashSet<>();
            a.describeTopics(List.of("orders")).allTopicNames().get(30, TimeUnit.SECONDS).get("orders").partitions()
                    .forEach(p -> leaders.add(p.leader().id()));
            assertThat(leaders).isNotEmpty();
        }
    }

    @Test
    @Order(2)
    void producerAndBothConsumerProtocolsWorkThroughTheGateway() throws Exception {
        createTopic("events", 6);
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>("events", "k" + i, "v" + i));
            }
            producer.flush();
        }
        List<String> classic = consume("events", 300, "classic-group", Map.of("group.protocol", "classic"));
        List<String> kip848 = consume("events", 300, "kip848-group", Map.of("group.protocol", "consumer"));

        assertThat(classic).hasSize(300).doesNotHaveDuplicates().contains("v0", "v299");
        assertThat(kip848).hasSize(300).doesNotHaveDuplicates().contains("v0", "v299");
    }

    @Test
    @Order(3)
    void transactionalProducerCommitsAndAbortsThroughTheGateway() throws Exception {
        createTopic("ledger", 3);
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("ledger", "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("ledger", "aborted-" + i));
            }
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ledger", "committed-last"));
            producer.commitTransaction();
        }
        List<String> seen = consume("ledger", 51, "ledger-reader", Map.of("isolation.level", "read_committed"));

        assertThat(seen).hasSize(51).allMatch(v -> v.startsWith("committed-"));
    }

    @Test
    @Order(4)
    void kcatProducesAndConsumesThroughTheGateway() throws Exception {
        createTopic("kcat-topic", 3);
        List<String> lines = List.of("alpha", "beta", "gamma", "delta");
        Process produce = new ProcessBuilder("kcat", "-b", bootstrap2, "-P", "-t", "kcat-topic", "-X",
                "socket.timeout.ms=10000").redirectErrorStream(true).start();
        produce.getOutputStream().write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        produce.getOutputStream().close();
        assertThat(produce.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String produceOutput = new String(produce.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(produce.exitValue()).as(produceOutput).isZero();

        Process consume = new ProcessBuilder("kcat", "-b", bootstrap2, "-C", "-t", "kcat-topic", "-o", "beginning",
                "-c", "4", "-e", "-q").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(consume.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String consumed = new String(consume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(consumed.lines().toList()).containsExactlyInAnyOrderElementsOf(lines);

        Process list = new ProcessBuilder("kcat", "-b", bootstrap2, "-L").redirectErrorStream(true).start();
        assertThat(list.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String metadata = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (int n = 1; n <= 3; n++) {
            assertThat(metadata).contains("broker " + n + " at " + GATEWAY + ":" + (base + 4 + n));
        }
    }

    @Test
    @Order(5)
    void adminEndpointsReportReadinessMetricsAndStatus() throws Exception {
        assertThat(readyzBeforeStart).isEqualTo(503);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/healthz").body()).isEqualTo("ok\n");

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("brokerlink_gateway_connections_open{listener=\"EXTERNAL/b1\"}");
        double toClient = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith("brokerlink_gateway_bytes_total{") && line.contains("direction=\"to_client\"")) {
                toClient += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertThat(toClient).isGreaterThan(10_000); // the records consumed above came back through the gateway

        String status = get("/status").body();
        assertThat(status).contains("\"mode\" : \"portmap\"", "\"ready\" : true",
                "\"advertised\" : \"b2.usw2-az2" + DOMAIN + ":" + (base + 2) + "\"",
                "\"upstream\" : \"127.0.20.2:", "\"health\" : \"healthy\"");
        assertThat(gateway.status().brokers()).hasSize(6);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(90)
    void theClientSurvivesALeaderChangeAndTheDownBrokersPortClosesAtOnce() throws Exception {
        createTopic("moving", 3);
        int victim;
        try (Admin a = adminClient()) {
            Node leader = a.describeTopics(List.of("moving")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("moving").partitions().get(0).leader();
            victim = leader.id();
        }
        List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(Map.of("enable.idempotence", "true"))) {
            for (int i = 0; i < 600; i++) {
                acks.add(producer.send(new ProducerRecord<>("moving", Integer.toString(i % 3), "m" + i)));
                if (i == 200) {
                    producer.flush();
                    cluster.stopNode(victim);
                    int port = base + victim;
                    Eventually.await(() -> gateway.status().brokers().get(victim - 1).health()
                            .equals("unhealthy"), "broker " + victim + " unhealthy");
                    assertClosedAtOnce(port);
                    try (Admin a = adminClient()) { // the bootstrap port skips the stopped broker
                        assertThat(a.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(2);
                    }
                }
                if (i == 400) {
                    producer.flush();
                    cluster.startNode(victim);
                }
                Thread.sleep(2);
            }
            producer.flush();
        }
        for (var ack : acks) {
            assertThat(ack.get(60, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
        }
        Eventually.await(() -> gateway.status().brokers().get(victim - 1).health().equals("healthy"),
                "broker " + victim + " healthy again");
        List<String> seen = consume("moving", 600, "moving-reader", Map.of());
        assertThat(new HashSet<>(seen)).hasSize(600);
    }

    private static void assertClosedAtOnce(int port) throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(GATEWAY, port), 2000);
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            // closed at once, seen as a reset
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

}
