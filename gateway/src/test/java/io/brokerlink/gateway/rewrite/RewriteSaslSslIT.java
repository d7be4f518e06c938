package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.testkit.ClientSettings;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.SecureListeners.KafkaUser;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestCertificates;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SASL_SSL end to end through rewrite mode: a real 3-node cluster whose only client listener is SASL_SSL with
 * SCRAM-SHA-512, a gateway with TLS on both legs ({@code listener-tls} toward clients, {@code upstream-tls} toward the
 * brokers) and its own SCRAM login for its metadata client ({@code metadata-client}, password from the environment),
 * so the metadata client runs SASL_SSL. Clients speak SASL_SSL to the gateway with host-name verification against the
 * advertised names; their SCRAM exchange passes through both TLS sessions to the broker, which authenticates them as
 * themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewriteSaslSslIT {

    private static final List<String> NODES = List.of("127.0.90.31", "127.0.90.32", "127.0.90.33");
    private static final String GATEWAY = "127.0.90.40";
    private static final String UPSTREAM_DOMAIN = ".saslup.tls.brokerlink.test";
    private static final String DOMAIN = ".sasl.tls.brokerlink.test";
    private static final String SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final KafkaUser ALICE = new KafkaUser("alice", "alice-ssl-pw-5c02e9");
    private static final KafkaUser GATEWAY_USER = SecureListeners.gatewayUser();

    private SandboxCluster cluster;
    private RewriteGateway gateway;
    private RewriteConfig config;
    private LogCapture logs;
    private TestCertificates.Authority gatewayCa;
    private int base;
    private int external;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        Path dir = Files.createTempDirectory("rewrite-sasl-ssl");
        TestCertificates.Authority brokerCa = TestCertificates.authority(dir.resolve("broker-ca"), "broker CA");
        TestCertificates.Issued brokerCert = brokerCa.server("broker", List.of("*" + UPSTREAM_DOMAIN));
        gatewayCa = TestCertificates.authority(dir.resolve("gateway-ca"), "gateway CA");
        List<String> names = new ArrayList<>(TestCertificates.brokerNames(DOMAIN, SandboxCluster.Builder.REFERENCE_ZONES));
        TestCertificates.Issued gatewayCert = gatewayCa.server("gateway", names);

        int clusterPorts = FreePorts.consecutiveOnAll(NODES, 3);
        external = clusterPorts + 2;
        SandboxCluster.Builder builder = SandboxCluster.builder().firstAddress(NODES.get(0))
                .internalPort(clusterPorts).controllerPort(clusterPorts + 1).externalPort(external)
                .listenerSecurity("EXTERNAL", "SASL_SSL");
        SecureListeners.sasl(builder, "EXTERNAL", List.of(ALICE, GATEWAY_USER));
        SecureListeners.tls(builder, "EXTERNAL", brokerCert, brokerCa, false);
        for (int n = 1; n <= 3; n++) {
            builder.nodeProperty(n, "advertised.listeners", "INTERNAL://" + NODES.get(n - 1) + ":" + clusterPorts
                    + ",EXTERNAL://b" + n + UPSTREAM_DOMAIN + ":" + external);
            TestHosts.map(NODES.get(n - 1), "b" + n + UPSTREAM_DOMAIN);
            TestHosts.map(GATEWAY, advertised(n));
        }
        TestHosts.map(GATEWAY, "bootstrap" + DOMAIN);
        cluster = builder.start();
        SecureListeners.createScramUsers(cluster, List.of(ALICE, GATEWAY_USER));

        base = FreePorts.consecutive(GATEWAY, 3);
        config = (RewriteConfig) GatewayConfigLoader.load("gateway.yaml", """
                mode: rewrite
                bootstrap-servers: [b1%1$s:%2$d, b2%1$s:%2$d]
                listen-host: %3$s
                drain-timeout-ms: 500
                connect-timeout-ms: 5000
                dynamic: {first-node-id: 1, listen-base-port: %4$d, count: 3}
                advertised: {pattern: "<broker_id>.<az_id>%5$s:<port>"}
                listener-tls:
                  cert: %6$s
                  key: %7$s
                upstream-tls:
                  ca: %8$s
                metadata-client:
                  config.providers: env
                  sasl.mechanism: SCRAM-SHA-512
                  sasl.jaas.config: '%9$s required username="%10$s" password="${env:%11$s}";'
                """.formatted(UPSTREAM_DOMAIN, external, GATEWAY, base, DOMAIN, gatewayCert.certificatePem(),
                gatewayCert.keyPem(), brokerCa.certificatePem(), SCRAM, GATEWAY_USER.name(),
                SecureListeners.GATEWAY_PASSWORD_ENV));
        gateway = RewriteGateway.start(config, new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, cluster, logs);
    }

    private static String advertised(int node) {
        return "b" + node + ".usw2-az" + node + DOMAIN;
    }

    private Map<String, Object> client(KafkaUser user) {
        return ClientSettings.of("bootstrap" + DOMAIN + ":" + base,
                SecureListeners.client("SASL_SSL", "SCRAM-SHA-512", user, gatewayCa, Optional.empty()));
    }

    @Test
    @Order(1)
    void theMetadataClientRunsSaslSslWithTheGatewaysOwnLogin() {
        Properties admin = RewriteGateway.metadataAdminProperties(config);
        assertThat(admin).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM");
        assertThat(gateway.readiness().isReady()).isTrue();
        assertThat(gateway.status().brokers()).extracting(b -> b.nodeId() + "=" + b.upstream()).containsExactly(
                "1=b1" + UPSTREAM_DOMAIN + ":" + external, "2=b2" + UPSTREAM_DOMAIN + ":" + external,
                "3=b3" + UPSTREAM_DOMAIN + ":" + external);
    }

    @Test
    @Order(2)
    void adminProducerAndConsumerAuthenticateWithScramOverTlsOnBothLegs() throws Exception {
        try (Admin admin = Admin.create(client(ALICE))) {
            admin.createTopics(List.of(new NewTopic("sasl-ssl", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            Set<String> nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).stream()
                    .map(n -> n.host() + ":" + n.port()).collect(Collectors.toSet());
            assertThat(nodes).containsExactlyInAnyOrder(advertised(1) + ":" + base, advertised(2) + ":" + (base + 1),
                    advertised(3) + ":" + (base + 2));
        }
        List<String> sent = Records.produce(client(ALICE), "sasl-ssl", "scram-ssl", 40);
        assertThat(Records.consume(client(ALICE), "g-sasl-ssl", "sasl-ssl", sent.size(), Duration.ofSeconds(45)))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(3)
    void aWrongPasswordFailsWithTheClientsNormalAuthenticationError() {
        Map<String, Object> props = client(ALICE.withPassword("not-alices-password"));
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .cause().hasMessageContaining("Authentication failed");
        }
        Records.assertSendFails(props, "sasl-ssl", "v", SaslAuthenticationException.class);
    }

    @Test
    @Order(4)
    void noPasswordAppearsInAnyLogLine() {
        assertThat(logs.lines()).isNotEmpty();
        for (String secret : List.of(ALICE.password(), GATEWAY_USER.password(), "not-alices-password",
                TestCertificates.STORE_PASSWORD)) {
            assertThat(logs.linesContaining(secret)).as("log lines containing a secret").isEmpty();
        }
    }
}
