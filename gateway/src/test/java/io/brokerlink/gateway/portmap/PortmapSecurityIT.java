package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.SecureListeners.KafkaUser;
import io.brokerlink.gateway.testkit.TestCertificates;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SASL and TLS through portmap mode, which forwards bytes untouched: one real 3-node cluster with two client
 * listeners, EXTERNAL (SASL_PLAINTEXT) and EXTERNAL_TLS (SASL_SSL with required client certificates), both fronted by
 * one portmap gateway. Brokers advertise {@code bN.usw2-azN.abc...} names that resolve to the gateway; the broker
 * certificate covers them with one wildcard per AZ, and clients verify host names (Kafka's default).
 *
 * <p>The broker runs the standard authorizer with a DENY for {@code mallory}: that a denial reaches her and not
 * alice proves the client's own identity reaches the broker through the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortmapSecurityIT {

    private static final String GATEWAY = "127.0.60.50";
    private static final List<String> NODES = List.of("127.0.60.1", "127.0.60.2", "127.0.60.3");
    private static final String DOMAIN = ".abc.us-west-2.aws.plc.example.com";
    private static final String BOOTSTRAP_NAME = "bootstrap" + DOMAIN;
    private static final KafkaUser ALICE = new KafkaUser("alice", "alice-pw-7f3e9c");
    private static final KafkaUser MALLORY = new KafkaUser("mallory", "mallory-pw-51d2aa");
    private static final long REAUTH_MS = 2500;

    private SandboxCluster cluster;
    private RunningGateway gateway;
    private LogCapture logs;
    private TestCertificates.Authority ca;
    private TestCertificates.Issued aliceCert;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int base;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        ca = TestCertificates.authority(Files.createTempDirectory("portmap-security-certs"), "BrokerLink test CA");
        TestCertificates.Issued brokerCert = ca.server("broker",
                TestCertificates.brokerNames(DOMAIN, SandboxCluster.Builder.REFERENCE_ZONES));
        aliceCert = ca.client("alice");

        int clusterPorts = TestPorts.freeRun(NODES, 4); // INTERNAL, CONTROLLER, EXTERNAL, EXTERNAL_TLS
        base = TestPorts.freeRun(GATEWAY, 8); // bootstrap, b1..b3 for EXTERNAL; the same for EXTERNAL_TLS

        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n").append(GATEWAY).append(' ')
                .append(BOOTSTRAP_NAME).append('\n');
        SandboxCluster.Builder builder = SandboxCluster.builder().firstAddress(NODES.get(0))
                .internalPort(clusterPorts).controllerPort(clusterPorts + 1).externalPort(clusterPorts + 2)
                .listenerSecurity("EXTERNAL", "SASL_PLAINTEXT")
                .listenerSecurity("EXTERNAL_TLS", "SASL_SSL")
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("allow.everyone.if.no.acl.found", "true")
                .brokerProperty("super.users", "User:ANONYMOUS");
        SecureListeners.sasl(builder, "EXTERNAL", List.of(ALICE, MALLORY));
        SecureListeners.sasl(builder, "EXTERNAL_TLS", List.of(ALICE, MALLORY));
        SecureListeners.tls(builder, "EXTERNAL_TLS", brokerCert, ca, true);
        SecureListeners.reauthentication(builder, REAUTH_MS);
        for (int n = 1; n <= 3; n++) {
            String address = NODES.get(n - 1);
            String name = brokerName(n);
            hosts.append(GATEWAY).append(' ').append(name).append('\n');
            builder.nodeProperty(n, "listeners", "INTERNAL://" + address + ":" + clusterPorts
                    + ",CONTROLLER://" + address + ":" + (clusterPorts + 1)
                    + ",EXTERNAL://" + address + ":" + (clusterPorts + 2)
                    + ",EXTERNAL_TLS://" + address + ":" + (clusterPorts + 3));
            builder.nodeProperty(n, "advertised.listeners", "INTERNAL://" + address + ":" + clusterPorts
                    + ",EXTERNAL://" + name + ":" + (base + n)
                    + ",EXTERNAL_TLS://" + name + ":" + (base + 4 + n));
        }
        Files.writeString(Path.of(System.getProperty("brokerlink.test.hosts.file")), hosts.toString());
        cluster = builder.start();
        SecureListeners.createScramUsers(cluster, List.of(ALICE, MALLORY));
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                cluster.internalBootstrap()))) {
            // Once a topic has ACLs, allow.everyone.if.no.acl.found no longer applies to it: alice needs her own.
            ResourcePattern aliceOnly = new ResourcePattern(ResourceType.TOPIC, "alice-only", PatternType.LITERAL);
            admin.createAcls(List.of(
                    new AclBinding(aliceOnly, new AccessControlEntry("User:mallory", "*", AclOperation.ALL,
                            AclPermissionType.DENY)),
                    new AclBinding(aliceOnly, new AccessControlEntry("User:alice", "*", AclOperation.ALL,
                            AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }

        StringBuilder yaml = new StringBuilder("""
                mode: portmap
                bind-address: %s
                drain-timeout-ms: 1000
                health-check: {interval-ms: 500, timeout-ms: 300, healthy-threshold: 1, unhealthy-threshold: 2}
                groups:
                """.formatted(GATEWAY));
        for (int g = 0; g < 2; g++) {
            yaml.append("  - name: ").append(g == 0 ? "EXTERNAL" : "EXTERNAL_TLS").append('\n')
                    .append("    bootstrap-port: ").append(base + 4 * g).append('\n')
                    .append("    brokers:\n");
            for (int n = 1; n <= 3; n++) {
                yaml.append("      - {node-id: ").append(n).append(", listen-port: ").append(base + 4 * g + n)
                        .append(", target: \"").append(NODES.get(n - 1)).append(':').append(clusterPorts + 2 + g)
                        .append("\", advertised: \"").append(brokerName(n)).append(':').append(base + 4 * g + n)
                        .append("\"}\n");
            }
        }
        gateway = Gateway.start(GatewayConfigLoader.load("gateway.yaml", yaml.toString()), registry);
        PortmapRelayIT.await(() -> gateway.readiness().isReady(), "gateway ready");
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static String brokerName(int node) {
        return "b" + node + ".usw2-az" + node + DOMAIN;
    }

    private String bootstrap(String protocol) {
        return BOOTSTRAP_NAME + ":" + (protocol.equals("SASL_SSL") ? base + 4 : base);
    }

    private Map<String, Object> client(String protocol, String mechanism, KafkaUser user) {
        Map<String, Object> props = SecureListeners.client(protocol, mechanism, user, ca, Optional.of(aliceCert));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap(protocol));
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return props;
    }

    @Order(1)
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SASL_PLAINTEXT, PLAIN", "SASL_PLAINTEXT, SCRAM-SHA-256", "SASL_PLAINTEXT, SCRAM-SHA-512",
            "SASL_SSL, PLAIN", "SASL_SSL, SCRAM-SHA-256", "SASL_SSL, SCRAM-SHA-512"})
    void adminProducerAndConsumerAuthenticateThroughTheGateway(String protocol, String mechanism) throws Exception {
        String topic = ("t-" + protocol + "-" + mechanism).toLowerCase().replace('_', '-');
        try (Admin admin = Admin.create(client(protocol, mechanism, ALICE))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS));
            assertThat(nodes).extracting(Node::host)
                    .containsExactlyInAnyOrder(brokerName(1), brokerName(2), brokerName(3));
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(protocol, mechanism, ALICE)) {
            for (int i = 0; i < 60; i++) {
                sent.add(mechanism + "-" + i);
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), mechanism + "-" + i));
            }
            producer.flush();
        }
        assertThat(consumeAll(protocol, mechanism, topic, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Order(2)
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SASL_PLAINTEXT, PLAIN", "SASL_PLAINTEXT, SCRAM-SHA-512", "SASL_SSL, SCRAM-SHA-256"})
    void aWrongPasswordFailsWithTheClientsNormalAuthenticationError(String protocol, String mechanism) {
        Map<String, Object> props = client(protocol, mechanism, ALICE.withPassword("not-alices-password"));
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .cause().hasMessageContaining("Authentication failed");
        }
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t-wrong-password", "v")).get(20,
                    TimeUnit.SECONDS)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Order(3)
    @Test
    void theClientsOwnIdentityReachesTheBroker() throws Exception {
        try (KafkaProducer<String, String> alice = producer("SASL_SSL", "SCRAM-SHA-512", ALICE)) {
            assertThat(alice.send(new ProducerRecord<>("alice-only", "from alice")).get(20, TimeUnit.SECONDS)
                    .offset()).isGreaterThanOrEqualTo(0);
        }
        Map<String, Object> props = client("SASL_PLAINTEXT", "SCRAM-SHA-256", MALLORY);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> mallory = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> mallory.send(new ProducerRecord<>("alice-only", "from mallory"))
                    .get(20, TimeUnit.SECONDS)).hasRootCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Order(4)
    @Test
    void mutualTlsPassesThroughAndAClientWithoutCertificateIsRefusedByTheBroker() {
        Map<String, Object> props = SecureListeners.client("SASL_SSL", "SCRAM-SHA-256", ALICE, ca, Optional.empty());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap("SASL_SSL"));
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Order(5)
    @Test
    void aNameTheCertificateDoesNotCoverFailsHostnameVerification() {
        // The gateway's IP address is not among the certificate's SANs: the client must refuse it, which is why every
        // advertised name (and the bootstrap name clients are given) has to be covered.
        Map<String, Object> props = client("SASL_SSL", "SCRAM-SHA-256", ALICE);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, GATEWAY + ":" + (base + 4));
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class)
                    .cause().hasStackTraceContaining("No subject alternative names matching IP address");
        }
    }

    @Order(6)
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SASL_PLAINTEXT, SCRAM-SHA-512", "SASL_SSL, PLAIN"})
    void reauthenticationInTheMiddleOfAConnectionKeepsWorking(String protocol, String mechanism) throws Exception {
        String topic = "reauth-" + protocol.toLowerCase().replace('_', '-');
        try (KafkaProducer<String, String> producer = producer(protocol, mechanism, ALICE)) {
            producer.send(new ProducerRecord<>(topic, "first")).get(20, TimeUnit.SECONDS);
            double connectionsBefore = metric(producer.metrics(), "connection-creation-total");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAUTH_MS * 3 + 1000);
            int acked = 1;
            while (System.nanoTime() < until) {
                producer.send(new ProducerRecord<>(topic, "r-" + acked)).get(20, TimeUnit.SECONDS);
                acked++;
                Thread.sleep(50);
            }
            // KIP-368: the client re-authenticated on its open connections instead of opening new ones.
            assertThat(metric(producer.metrics(), "successful-reauthentication-total")).isGreaterThanOrEqualTo(2);
            assertThat(metric(producer.metrics(), "failed-reauthentication-total")).isZero();
            assertThat(metric(producer.metrics(), "connection-creation-total")).isEqualTo(connectionsBefore);
            assertThat(acked).isGreaterThan(20);
        }
    }

    @Order(7)
    @Test
    void noPasswordAppearsInAnyLogLine() {
        assertThat(logs.lines()).isNotEmpty(); // the gateway's own start/listen lines are captured
        for (String secret : List.of(ALICE.password(), MALLORY.password(), TestCertificates.STORE_PASSWORD)) {
            assertThat(logs.linesContaining(secret)).as("log lines containing a secret").isEmpty();
        }
    }

    private KafkaProducer<String, String> producer(String protocol, String mechanism, KafkaUser user) {
        Map<String, Object> props = client(protocol, mechanism, user);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private List<String> consumeAll(String protocol, String mechanism, String topic, int expected) {
        Map<String, Object> props = client(protocol, mechanism, ALICE);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
