package io.brokerlink.gateway.rewrite;


import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.NewTopics;
import io.brokerlink.gateway.testkit.TcpForwarder;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rewrite mode in front of a real 3-node cluster, real clients, real TCP. Clients reach the gateway through a
 * recording forwarder (the "load balancer"), so the last test can search every response byte for upstream
 * addresses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewriteModeIT {

    static final String GATEWAY_A = "127.0.30.40";
    static final String GATEWAY_B = "127.0.30.41";
    static final String GATEWAY_C = "127.0.30.42";
    static final String BALANCER = "127.0.30.50";

    SandboxCluster cluster;
    int base;
    RewriteGateway gateway;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TcpForwarder recorder;
    String bootstrap;

    @BeforeAll
    void start() throws Exception {
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.30.1").start();
        base = FreePorts.consecutiveOnAll(3, GATEWAY_A, GATEWAY_B, GATEWAY_C, BALANCER, "127.0.30.51");
        for (SandboxNode n : cluster.nodes()) {
            TestHosts.map(BALANCER, advertisedHost(n.nodeId(), n.zone()));
        }
        gateway = RewriteGateway.start(config(GATEWAY_A), registry);
        recorder = new TcpForwarder(BALANCER, ports(), List.of(GATEWAY_A));
        bootstrap = advertisedHost(1, "usw2-az1") + ":" + base;
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(recorder, gateway, cluster);
    }

    static String advertisedHost(int nodeId, String zone) {
        return AdvertisedPattern.REFERENCE.host(nodeId, zone);
    }

    List<Integer> ports() {
        return List.of(base, base + 1, base + 2);
    }

    RewriteConfig config(String listenHost) {
        return new RewriteConfig(new CommonSettings(AdminConfig.DEFAULT, Duration.ofSeconds(5), 10_000),
                Arrays.stream(cluster.internalBootstrap().split(",")).map(s -> HostPort.parse(s, 1)).toList(),
                listenHost, List.of(), new RewriteConfig.DynamicRange(1, base, 0, 3),
                new RewriteConfig.Advertised(AdvertisedPattern.REFERENCE.text(), null, Map.of()),
                Duration.ofSeconds(3), null, 0, FetchEndpointsMode.SCAN);
    }

    Map<String, Object> client(String bootstrapServers) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        p.put("request.timeout.ms", 15000);
        return p;
    }

    @Test
    @Order(1)
    void adminCreatesTopicAndDescribeClusterShowsOnlyAdvertisedAddresses() throws Exception {
        assertThat(gateway.ready()).isTrue();
        assertThat(gateway.listenerAddresses()).hasSize(3);
        try (Admin admin = Admin.create(client(bootstrap))) {
            NewTopics.createAndAwait(admin, new NewTopic("orders", 6, (short) 3));
            Map<Integer, String> seen = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toMap(Node::id, n -> n.host() + ":" + n.port()));
            assertThat(seen).isEqualTo(Map.of(
                    1, advertisedHost(1, "usw2-az1") + ":" + base,
                    2, advertisedHost(2, "usw2-az2") + ":" + (base + 1),
                    3, advertisedHost(3, "usw2-az3") + ":" + (base + 2)));
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("orders");

            // Broker configs naming the cluster's listeners come back hidden (as Kafka shows passwords) ...
            org.apache.kafka.common.config.ConfigResource broker1 = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
            org.apache.kafka.clients.admin.Config configs = admin.describeConfigs(List.of(broker1),
                    new org.apache.kafka.clients.admin.DescribeConfigsOptions().includeSynonyms(true))
                    .all().get(30, TimeUnit.SECONDS).get(broker1);
            for (String name : List.of("listeners", "advertised.listeners", "controller.quorum.bootstrap.servers")) {
                assertThat(configs.get(name)).as(name).satisfies(e -> {
                    assertThat(e.value()).isNull();
                    assertThat(e.isSensitive()).isTrue();
                    assertThat(e.synonyms()).allSatisfy(syn -> assertThat(syn.value()).isNull());
                });
            }
            assertThat(configs.get("broker.rack").value()).as("other configs untouched").isEqualTo("usw2-az1");
            // ... and the controllers' endpoints in DescribeQuorum are dropped: they are not behind the gateway.
            org.apache.kafka.clients.admin.QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo()
                    .get(30, TimeUnit.SECONDS);
            assertThat(quorum.nodes()).isNotEmpty()
                    .allSatisfy((id, node) -> assertThat(node.endpoints()).isEmpty());
            assertThat(quorum.voters()).hasSize(3);
        }
        // The order-8 test finds none of these hosts or ports in any response byte.
        assertThat(registry.find("brokerlink.gateway.rewrites").tag("api", org.apache.kafka.common.protocol.ApiKeys.DESCRIBE_CONFIGS.name).counter())
                .isNotNull().satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1));
    }

    @Test
    @Order(2)
    void producerThenClassicAndConsumerProtocolConsumersReadEveryRecord() throws Exception {
        List<String> sent = produce("orders", 60, Map.of("acks", "all"));
        for (String protocol : List.of("classic", "consumer")) {
            Map<String, Object> c = client(bootstrap);
            c.put("group.id", "g-" + protocol);
            c.put("group.protocol", protocol);
            assertThat(consumeValues("orders", c, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        }
        assertThat(registry.find("brokerlink.gateway.rewrites").tag("api", "Metadata").counter().count()).isPositive();
        assertThat(registry.find("brokerlink.gateway.rewrites").tag("api", "FindCoordinator").counter().count()).isPositive();
    }

    @Test
    @Order(3)
    void acksZeroProduceGetsNoResponseAndStillDelivers() throws Exception {
        try (Admin admin = Admin.create(client(bootstrap))) {
            // acks=0 records sent before the leader knows the topic are dropped without an error: wait for it.
            NewTopics.createAndAwait(admin, new NewTopic("fire-and-forget", 1, (short) 3));
        }
        List<String> sent = produce("fire-and-forget", 30, Map.of("acks", "0", "enable.idempotence", "false"));
        Map<String, Object> c = client(bootstrap);
        c.put("group.id", "g-acks0");
        assertThat(consumeValues("fire-and-forget", c, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(4)
    void transactionalProducerCommitsThroughTheGateway() throws Exception {
        Map<String, Object> p = client(bootstrap);
        p.put("transactional.id", "tx-rewrite");
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("orders", "tx-" + i));
                sent.add("tx-" + i);
            }
            producer.commitTransaction();
        }
        Map<String, Object> c = client(bootstrap);
        c.put("group.id", "g-tx");
        c.put("isolation.level", "read_committed");
        List<String> read = consumeValues("orders", c, 60 + 20);
        assertThat(read).containsAll(sent);
    }

    @Test
    @Order(5)
    void producerSurvivesALeaderStoppingAndReturningMidProduce() throws Exception {
        try (Admin admin = Admin.create(client(bootstrap))) {
            admin.createTopics(List.of(new NewTopic("moving", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> p = client(bootstrap);
        p.put("acks", "all");
        p.put("delivery.timeout.ms", 120000);
        p.put("linger.ms", 5);
        List<String> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 300; i++) {
                if (i == 100) {
                    producer.flush();
                    cluster.stopNode(2);
                }
                if (i == 200) {
                    cluster.startNode(2);
                }
                String v = "m-" + i;
                acks.add(producer.send(new ProducerRecord<>("moving", Integer.toString(i), v)));
                sent.add(v);
                Thread.sleep(10);
            }
            producer.flush();
            for (Future<RecordMetadata> f : acks) {
                assertThat(f.get(120, TimeUnit.SECONDS).offset()).isNotNegative();
            }
        }
        Map<String, Object> c = client(bootstrap);
        c.put("group.id", "g-moving");
        assertThat(consumeValues("moving", c, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        awaitReady(gateway);
        assertThat(gateway.listenerAddresses()).hasSize(3);
    }

    @Test
    @Order(6)
    void twoInstancesWithOneConfigBehindARoundRobinBalancerAgree() throws Exception {
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        SimpleMeterRegistry registryA2 = new SimpleMeterRegistry();
        try (RewriteGateway a = RewriteGateway.start(config(GATEWAY_B), registryA2);
             RewriteGateway b = RewriteGateway.start(config(GATEWAY_C), registryB);
             TcpForwarder balancer = new TcpForwarder("127.0.30.51", ports(), List.of(GATEWAY_B, GATEWAY_C))) {
            for (SandboxNode n : cluster.nodes()) {
                TestHosts.map("127.0.30.51", advertisedHost(n.nodeId(), n.zone()));
            }
            try {
                List<String> sent = produce("orders", 40, Map.of("acks", "all"));
                Map<String, Object> c = client(bootstrap);
                c.put("group.id", "g-two");
                assertThat(consumeValues("orders", c, 60 + 20 + 40)).containsAll(sent);
                assertThat(balancer.connectionsTo(0)).isPositive();
                assertThat(balancer.connectionsTo(1)).isPositive();
                assertThat(requests(registryA2)).isPositive();
                assertThat(requests(registryB)).isPositive();
                assertThat(describe(GATEWAY_B + ":" + (base + 2))).isEqualTo(describe(GATEWAY_C + ":" + (base + 2)));
            } finally {
                for (SandboxNode n : cluster.nodes()) {
                    TestHosts.map(BALANCER, advertisedHost(n.nodeId(), n.zone()));
                }
            }
        }
    }

    @Test
    @Order(7)
    void aFreshInstanceServesItsFirstConnectionOnABrokerPort() throws Exception {
        try (RewriteGateway fresh = RewriteGateway.start(config(GATEWAY_C), new SimpleMeterRegistry())) {
            assertThat(fresh.ready()).isTrue();
            // the very first connection this instance sees arrives on broker 3's port, not on a "bootstrap" port
            assertThat(describe(GATEWAY_C + ":" + (base + 2))).containsKeys(1, 2, 3);
        }
    }

    @Test
    @Order(8)
    void noResponseByteOfTheWorkloadCarriesAnUpstreamAddress() {
        byte[] seen = recorder.recordedToClients();
        assertThat(seen.length).isGreaterThan(10_000);
        String text = new String(seen, StandardCharsets.ISO_8859_1);
        for (SandboxNode n : cluster.nodes()) {
            assertThat(text).doesNotContain(n.address());
            for (int port : List.of(n.internalPort(), n.externalPort(), n.controllerPort())) {
                byte[] encoded = {0, 0, (byte) (port >> 8), (byte) port};
                assertThat(indexOf(seen, encoded)).as("port %d of node %d", port, n.nodeId()).isEqualTo(-1);
            }
        }
        assertThat(text).contains(advertisedHost(1, "usw2-az1"), advertisedHost(2, "usw2-az2"),
                advertisedHost(3, "usw2-az3"));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static double requests(SimpleMeterRegistry r) {
        return r.find("brokerlink.gateway.requests").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    static void awaitReady(RewriteGateway gw) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!gw.ready() || gw.listenerAddresses().size() < 3) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gateway not ready: " + gw.status());
            }
            Thread.sleep(200);
        }
    }

    /** Node id to advertised address and rack, as one gateway answers a client bootstrapping from it directly. */
    Map<Integer, String> describe(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(client(bootstrapServers))) {
            Map<Integer, String> out = new TreeMap<>();
            for (Node n : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
                out.put(n.id(), n.host() + ":" + n.port() + " rack " + n.rack());
            }
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains("orders");
            return out;
        }
    }

    List<String> produce(String topic, int count, Map<String, String> extra) throws Exception {
        Map<String, Object> p = client(bootstrap);
        p.putAll(extra);
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String v = topic + "-" + System.nanoTime() + "-" + i;
                acks.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i), v)));
                sent.add(v);
            }
            producer.flush();
            for (Future<RecordMetadata> f : acks) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return sent;
    }

    static List<String> consumeValues(String topic, Map<String, Object> props, int atLeast) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (values.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
