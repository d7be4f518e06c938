package io.brokerlink.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference layout on the seeds' own ports, one loopback address per node, as {@code brokerlink sandbox} runs it. */
class SandboxClusterIT {

    static SandboxCluster cluster;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().firstAddress("127.0.1.1").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void brokerConfigsFollowTheSeedsLayout() {
        Properties p = cluster.brokerConfig(2);
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("node.id")).isEqualTo("2");
        assertThat(p.getProperty("listeners"))
                .isEqualTo("INTERNAL://127.0.1.2:9092,CONTROLLER://127.0.1.2:29092,EXTERNAL://127.0.1.2:39092");
        assertThat(p.getProperty("advertised.listeners"))
                .isEqualTo("INTERNAL://127.0.1.2:9092,EXTERNAL://b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094");
        assertThat(p.getProperty("listener.security.protocol.map")).isEqualTo(
                "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
        assertThat(p.getProperty("controller.quorum.voters"))
                .isEqualTo("1@127.0.1.1:29092,2@127.0.1.2:29092,3@127.0.1.3:29092");
        assertThat(p.getProperty("inter.broker.listener.name")).isEqualTo("INTERNAL");
        assertThat(p.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
        assertThat(p.getProperty("broker.rack")).isEqualTo("usw2-az2");
    }

    @Test
    void internalListenerListsAllThreeBrokersWithTheirRacks() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes).extracting(n -> n.host() + ":" + n.port() + " " + n.id() + " " + n.rack())
                    .containsExactlyInAnyOrder(
                            "127.0.1.1:9092 1 usw2-az1", "127.0.1.2:9092 2 usw2-az2", "127.0.1.3:9092 3 usw2-az3");
        }
    }

    @Test
    void bootstrappingThroughAnExternalBindAddressReturnsTheAdvertisedPatternNames() throws Exception {
        for (SandboxNode node : cluster.nodes()) {
            MetadataResponse response = KafkaWire.metadata(node.address(), node.externalPort());
            Set<String> advertised = response.data().brokers().stream()
                    .map(b -> b.host() + ":" + b.port() + " id " + b.nodeId())
                    .collect(Collectors.toSet());
            assertThat(advertised).containsExactlyInAnyOrder(
                    "b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093 id 1",
                    "b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094 id 2",
                    "b3.usw2-az3.abc.us-west-2.aws.plc.example.com:9095 id 3");
        }
    }

    @Test
    void produceAndConsumeTenMessagesWithEveryBrokerLeadingAPartition() throws Exception {
        String topic = "seed-produce-consume";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            TopicDescription description = awaitLeaders(admin, topic);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            assertThat(description.partitions().stream().map(p -> p.leader().id()).collect(Collectors.toSet()))
                    .as("every broker leads one partition").containsExactlyInAnyOrder(1, 2, 3);
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", cluster.internalBootstrap(), "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                String value = "message-" + i;
                producer.send(new ProducerRecord<>(topic, i % 3, "k" + i, value)).get(30, TimeUnit.SECONDS);
                sent.add(value);
            }
        }
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", cluster.internalBootstrap(), "group.id", "seed-consumer",
                "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    received.add(r.value());
                }
            }
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void kcatThroughInternalListsThreeBrokers() throws Exception {
        Process kcat = new ProcessBuilder("kcat", "-L", "-b", cluster.node(1).internal(), "-m", "10")
                .redirectErrorStream(true).start();
        String out = new String(kcat.getInputStream().readAllBytes());
        assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains(" 3 brokers:")
                .contains("broker 1 at 127.0.1.1:9092").contains("broker 2 at 127.0.1.2:9092")
                .contains("broker 3 at 127.0.1.3:9092");
    }

    @Test
    void kcatThroughExternalSeesTheAdvertisedNames() throws Exception {
        Process kcat = new ProcessBuilder("kcat", "-L", "-b", cluster.node(1).externalBind(), "-m", "10")
                .redirectErrorStream(true).start();
        String out = new String(kcat.getInputStream().readAllBytes());
        assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("broker 1 at b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093")
                .contains("broker 2 at b2.usw2-az2.abc.us-west-2.aws.plc.example.com:9094")
                .contains("broker 3 at b3.usw2-az3.abc.us-west-2.aws.plc.example.com:9095");
    }

    static TopicDescription awaitLeaders(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Set<Integer> leaders = new HashSet<>();
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() != null && !p.leader().isEmpty()) {
                    leaders.add(p.leader().id());
                }
            }
            if (leaders.size() == 3 || System.nanoTime() > deadline) {
                return d;
            }
            Thread.sleep(100);
        }
    }
}
