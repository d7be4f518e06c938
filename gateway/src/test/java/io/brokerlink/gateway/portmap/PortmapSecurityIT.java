package io.brokerlink.gateway.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.testkit.ClientMetrics;
import io.brokerlink.gateway.testkit.ClientSettings;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.ReadyGateway;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.SecureListeners.KafkaUser;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestCertificates;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.gateway.testkit.TwoListenerPortmap;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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

        TwoListenerPortmap ports = TwoListenerPortmap.choose(GATEWAY, NODES, "EXTERNAL_TLS");
        base = ports.base();
        TwoListenerPortmap.AdvertisedHost advertised = (group, n) -> brokerName(n);
        TestHosts.map(GATEWAY, BOOTSTRAP_NAME, brokerName(1), brokerName(2), brokerName(3));
        SandboxCluster.Builder builder = ports.configure(SandboxCluster.builder(), advertised)
                .listenerSecurity("EXTERNAL", "SASL_PLAINTEXT")
                .listenerSecurity("EXTERNAL_TLS", "SASL_SSL")
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("allow.everyone.if.no.acl.found", "true")
                .brokerProperty("super.users", "User:ANONYMOUS");
        SecureListeners.sasl(builder, "EXTERNAL", List.of(ALICE, MALLORY));
        SecureListeners.sasl(builder, "EXTERNAL_TLS", List.of(ALICE, MALLORY));
        SecureListeners.tls(builder, "EXTERNAL_TLS", brokerCert, ca, true);
        SecureListeners.reauthentication(builder, REAUTH_MS);
        cluster = builder.start();
        SecureListeners.createScramUsers(cluster, List.of(ALICE, MALLORY));
        SecureListeners.topicAcls(cluster, "alice-only", List.of(ALICE), List.of(MALLORY));

        gateway = ReadyGateway.start("gateway.yaml", ports.gatewayYaml(
                "{interval-ms: 500, timeout-ms: 300, healthy-threshold: 1, unhealthy-threshold: 2}", advertised),
                registry);
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, cluster, logs);
    }

    private static String brokerName(int node) {
        return "b" + node + ".usw2-az" + node + DOMAIN;
    }

    private String bootstrap(String protocol) {
        return BOOTSTRAP_NAME + ":" + (protocol.equals("SASL_SSL") ? base + 4 : base);
    }

    private Map<String, Object> client(String protocol, String mechanism, KafkaUser user) {
        return ClientSettings.of(bootstrap(protocol),
                SecureListeners.client(protocol, mechanism, user, ca, Optional.of(aliceCert)));
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
        List<String> sent = Records.produce(client(protocol, mechanism, ALICE), topic, mechanism, 60);
        assertThat(Records.consume(client(protocol, mechanism, ALICE), "g-" + topic, topic, sent.size(),
                Duration.ofSeconds(45))).containsExactlyInAnyOrderElementsOf(sent);
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
        Records.assertSendFails(props, "t-wrong-password", "v", SaslAuthenticationException.class);
    }

    @Order(3)
    @Test
    void theClientsOwnIdentityReachesTheBroker() throws Exception {
        try (KafkaProducer<String, String> alice = Records.producer(client("SASL_SSL", "SCRAM-SHA-512", ALICE))) {
            assertThat(alice.send(new ProducerRecord<>("alice-only", "from alice")).get(20, TimeUnit.SECONDS)
                    .offset()).isGreaterThanOrEqualTo(0);
        }
        Records.assertSendFails(client("SASL_PLAINTEXT", "SCRAM-SHA-256", MALLORY), "alice-only", "from mallory",
                TopicAuthorizationException.class);
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
        try (KafkaProducer<String, String> producer = Records.producer(client(protocol, mechanism, ALICE))) {
            producer.send(new ProducerRecord<>(topic, "first")).get(20, TimeUnit.SECONDS);
            double connectionsBefore = ClientMetrics.total(producer.metrics(), "connection-creation-total");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAUTH_MS * 3 + 1000);
            int acked = 1;
            while (System.nanoTime() < until) {
                producer.send(new ProducerRecord<>(topic, "r-" + acked)).get(20, TimeUnit.SECONDS);
                acked++;
                Thread.sleep(50);
            }
            // KIP-368: the client re-authenticated on its open connections instead of opening new ones.
            assertThat(ClientMetrics.total(producer.metrics(), "successful-reauthentication-total"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(ClientMetrics.total(producer.metrics(), "failed-reauthentication-total")).isZero();
            assertThat(ClientMetrics.total(producer.metrics(), "connection-creation-total"))
                    .isEqualTo(connectionsBefore);
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
}
