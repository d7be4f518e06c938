package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.GatewayException;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.testkit.ClientMetrics;
import io.brokerlink.gateway.testkit.ClientSettings;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.NewTopics;
import io.brokerlink.gateway.testkit.Records;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.SecureListeners.KafkaUser;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * SASL through rewrite mode: a real 3-node cluster whose client listener (EXTERNAL) is SASL_PLAINTEXT with PLAIN
 * and SCRAM, fronted by a rewrite gateway whose own metadata client logs in as {@code brokerlink-gateway} with a
 * password that only the environment holds ({@code ${env:BROKERLINK_TEST_METADATA_PASSWORD}}, set by the POM).
 *
 * <p>Clients authenticate as themselves: the SASL exchange passes through the gateway, which rewrites only the
 * broker addresses of responses. The standard authorizer proves whose identity reaches the broker: {@code
 * alice-only} allows alice and (to show that no connection borrows the gateway's login) the gateway's own user,
 * so mallory is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewriteSaslIT {

    private static final String GATEWAY = "127.0.100.50";
    private static final List<String> NODES = List.of("127.0.100.1", "127.0.100.2", "127.0.100.3");
    private static final KafkaUser ALICE = new KafkaUser("alice", "alice-pw-93c1d0");
    private static final KafkaUser MALLORY = new KafkaUser("mallory", "mallory-pw-2e7f15");
    private static final KafkaUser GATEWAY_USER = SecureListeners.gatewayUser();
    private static final String WRONG_PASSWORD = "wrong-pw-5a0c3b";
    private static final String FILE_PASSWORD_KEY = "gateway.password";
    private static final long REAUTH_MS = 2500;
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private SandboxCluster cluster;
    private RunningGateway gateway;
    private LogCapture logs;
    private final List<Logger> raisedLoggers = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int externalPort;
    private int base;
    private String upstreamBootstrap;
    private String bootstrap;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        // Kafka's own config and authentication lines too (test default is WARN): they must hide secrets as well.
        for (String name : List.of("org.apache.kafka.clients", "org.apache.kafka.common.security",
                "org.apache.kafka.common.network", "org.apache.kafka.common.config")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.setLevel(Level.DEBUG);
            raisedLoggers.add(logger);
        }
        int clusterPorts = FreePorts.consecutiveOnAll(NODES, 3);
        externalPort = clusterPorts + 2;
        base = FreePorts.consecutive(GATEWAY, 3);
        SandboxCluster.Builder builder = SandboxCluster.builder().firstAddress(NODES.get(0))
                .internalPort(clusterPorts).controllerPort(clusterPorts + 1).externalPort(externalPort)
                .listenerSecurity("EXTERNAL", "SASL_PLAINTEXT")
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("allow.everyone.if.no.acl.found", "true")
                .brokerProperty("super.users", "User:ANONYMOUS");
        SecureListeners.sasl(builder, "EXTERNAL", List.of(ALICE, MALLORY, GATEWAY_USER));
        SecureListeners.reauthentication(builder, REAUTH_MS);
        for (int n = 1; n <= 3; n++) {
            String address = NODES.get(n - 1);
            // EXTERNAL advertises the broker's real address: the gateway connects there and rewrites it away.
            builder.nodeProperty(n, "advertised.listeners", "INTERNAL://" + address + ":" + clusterPorts
                    + ",EXTERNAL://" + address + ":" + externalPort);
            TestHosts.map(GATEWAY, advertisedHost(n));
        }
        cluster = builder.start();
        SecureListeners.createScramUsers(cluster, List.of(ALICE, MALLORY, GATEWAY_USER));
        // mallory is not allowed: with ACLs on the topic, allow.everyone.if.no.acl.found no longer lets her in.
        SecureListeners.topicAcls(cluster, "alice-only", List.of(ALICE, GATEWAY_USER), List.of());
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                cluster.internalBootstrap()))) {
            admin.createTopics(List.of(new NewTopic("alice-only", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        upstreamBootstrap = NODES.stream().map(a -> a + ":" + externalPort).collect(Collectors.joining(","));
        bootstrap = advertisedHost(1) + ":" + base;
        gateway = Gateway.start(GatewayConfigLoader.load("gateway.yaml", gatewayYaml(base, """
                metadata-client:
                  config.providers: env
                  sasl.mechanism: SCRAM-SHA-512
                  sasl.jaas.config: '%s required username="%s" password="${env:%s}";'
                """.formatted(SCRAM_MODULE, GATEWAY_USER.name(), SecureListeners.GATEWAY_PASSWORD_ENV))),
                registry);
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(gateway, cluster, () -> raisedLoggers.forEach(l -> l.setLevel(null)), logs);
    }

    private static String advertisedHost(int node) {
        return AdvertisedPattern.REFERENCE.host(node, SandboxCluster.Builder.REFERENCE_ZONES.get(node - 1));
    }

    private String gatewayYaml(int listenBase, String metadataClient) {
        return """
                mode: rewrite
                bootstrap-servers: [%s]
                listen-host: %s
                drain-timeout-ms: 1000
                connect-timeout-ms: 2000
                dynamic: {first-node-id: 1, listen-base-port: %d, count: 3}
                advertised: {pattern: "%s"}
                """.formatted(upstreamBootstrap.replace(",", ", "), GATEWAY, listenBase, AdvertisedPattern.REFERENCE.text())
                + metadataClient;
    }

    private Map<String, Object> client(String mechanism, KafkaUser user) {
        return ClientSettings.of(bootstrap,
                SecureListeners.client("SASL_PLAINTEXT", mechanism, user, null, Optional.empty()));
    }

    /** Consumers here use the classic group protocol: its JoinGroup and SyncGroup pass the gateway too. */
    private Map<String, Object> classicConsumer(String mechanism, KafkaUser user) {
        Map<String, Object> props = client(mechanism, user);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        return props;
    }

    @Order(1)
    @Test
    void theGatewayStartsWithItsOwnScramLoginFromTheEnvironment() {
        assertThat(gateway.readiness().isReady()).isTrue();
        assertThat(gateway.status().brokers()).extracting(b -> b.nodeId() + "=" + b.upstream())
                .containsExactly("1=" + NODES.get(0) + ":" + externalPort, "2=" + NODES.get(1) + ":" + externalPort,
                        "3=" + NODES.get(2) + ":" + externalPort);
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void adminProducerAndClassicConsumerAuthenticateThroughRewrite(String mechanism) throws Exception {
        String topic = "t-" + mechanism.toLowerCase();
        try (Admin admin = Admin.create(client(mechanism, ALICE))) {
            NewTopics.createAndAwait(admin, new NewTopic(topic, 3, (short) 3));
            Set<String> nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).stream()
                    .map(n -> n.host() + ":" + n.port()).collect(Collectors.toSet());
            assertThat(nodes).containsExactlyInAnyOrder(advertisedHost(1) + ":" + base,
                    advertisedHost(2) + ":" + (base + 1), advertisedHost(3) + ":" + (base + 2));
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).contains(topic, "alice-only");
        }
        List<String> sent = Records.produce(client(mechanism, ALICE), topic, mechanism, 60);
        assertThat(Records.consume(classicConsumer(mechanism, ALICE), "g-" + topic, topic, sent.size(),
                Duration.ofSeconds(45))).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(registry.find("brokerlink.gateway.requests").tag("api", "SaslAuthenticate").counter().count())
                .isPositive();
    }

    @Order(3)
    @Test
    void eachClientReachesTheBrokerAsItselfNotAsTheGateway() throws Exception {
        try (KafkaProducer<String, String> alice = Records.producer(client("SCRAM-SHA-512", ALICE))) {
            assertThat(alice.send(new ProducerRecord<>("alice-only", "from alice")).get(20, TimeUnit.SECONDS)
                    .offset()).isGreaterThanOrEqualTo(0);
        }
        // The gateway's own user may write alice-only: had mallory's connection used the gateway's login, this
        // would succeed.
        for (String mechanism : List.of("SCRAM-SHA-256", "PLAIN")) {
            Records.assertSendFails(client(mechanism, MALLORY), "alice-only", "from mallory",
                    TopicAuthorizationException.class);
        }
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void aWrongPasswordFailsWithTheClientsNormalAuthenticationError(String mechanism) {
        Map<String, Object> props = client(mechanism, ALICE.withPassword(WRONG_PASSWORD));
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .cause().hasMessageContaining(mechanism.equals("PLAIN")
                            ? "Authentication failed: Invalid username or password"
                            : "Authentication failed during authentication due to invalid credentials with SASL "
                            + "mechanism " + mechanism);
        }
        Records.assertSendFails(props, "t-plain", "v", SaslAuthenticationException.class);
    }

    @Order(5)
    @Test
    void reauthenticationInTheMiddleOfLongRunningProducerAndConsumerKeepsRecordsFlowing() throws Exception {
        String topic = "reauth";
        try (Admin admin = Admin.create(client("SCRAM-SHA-512", ALICE))) {
            NewTopics.createAndAwait(admin, new NewTopic(topic, 3, (short) 3));
        }
        double brokerReauthBefore = brokerSuccessfulReauthentications();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (KafkaProducer<String, String> producer = Records.producer(client("SCRAM-SHA-512", ALICE));
             KafkaConsumer<String, String> consumer = consumer("PLAIN", ALICE, "g-reauth")) {
            consumer.subscribe(List.of(topic));
            producer.send(new ProducerRecord<>(topic, "r-0")).get(20, TimeUnit.SECONDS);
            double producerConnections = ClientMetrics.total(producer.metrics(), "connection-creation-total");
            List<String> sent = Collections.synchronizedList(new ArrayList<>(List.of("r-0")));
            long periods = 4;
            Future<?> producing = pool.submit(() -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAUTH_MS * periods);
                for (int i = 1; System.nanoTime() < until; i++) {
                    producer.send(new ProducerRecord<>(topic, "r-" + i)).get(20, TimeUnit.SECONDS);
                    sent.add("r-" + i);
                    Thread.sleep(40);
                }
                return null;
            });
            // The consumer polls throughout: its fetches cross the same re-authentication points.
            List<String> received = new ArrayList<>();
            while (!producing.isDone()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    received.add(r.value());
                }
            }
            producing.get();
            received.addAll(Records.poll(consumer, sent.size() - received.size(), Duration.ofSeconds(30)));
            System.out.printf("re-authentication run: %d records, producer %.0f and consumer %.0f successful "
                            + "re-authentications%n", sent.size(),
                    ClientMetrics.total(producer.metrics(), "successful-reauthentication-total"),
                    ClientMetrics.total(consumer.metrics(), "successful-reauthentication-total"));
            assertThat(sent).hasSizeGreaterThan(50);
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
            // KIP-368: both clients re-authenticated on their open connections, nothing failed, the producer
            // opened no new connection.
            assertThat(ClientMetrics.total(producer.metrics(), "successful-reauthentication-total"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(ClientMetrics.total(consumer.metrics(), "successful-reauthentication-total"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(ClientMetrics.total(producer.metrics(), "failed-reauthentication-total")).isZero();
            assertThat(ClientMetrics.total(consumer.metrics(), "failed-reauthentication-total")).isZero();
            assertThat(ClientMetrics.total(producer.metrics(), "connection-creation-total"))
                    .isEqualTo(producerConnections);
        } finally {
            pool.shutdownNow();
        }
        // The broker side agrees: its EXTERNAL listener counted successful re-authentications.
        double brokerCounted = brokerSuccessfulReauthentications() - brokerReauthBefore;
        System.out.printf("re-authentication run: brokers counted %.0f successful re-authentications%n", brokerCounted);
        assertThat(brokerCounted).isGreaterThanOrEqualTo(3);
    }

    @Order(6)
    @Test
    void saslHandshakeV0WithRawTokensThenMetadataOnTheSameConnection() throws Exception {
        // Kafka 4.3.1 still accepts SaslHandshake v0 (valid versions 0-1; KIP-896 left it in): check the broker
        // itself first, so the gateway is held to what the broker really does.
        try (RawConnection direct = new RawConnection(NODES.get(0), externalPort)) {
            MetadataResponseData metadata = direct.plainV0Login(ALICE);
            assertThat(metadata.brokers()).extracting(b -> b.host() + ":" + b.port())
                    .containsExactlyInAnyOrder(NODES.get(0) + ":" + externalPort, NODES.get(1) + ":" + externalPort,
                            NODES.get(2) + ":" + externalPort);
        }
        for (int node = 1; node <= 3; node++) {
            try (RawConnection through = new RawConnection(GATEWAY, base + node - 1)) {
                MetadataResponseData metadata = through.plainV0Login(ALICE);
                assertThat(metadata.brokers()).extracting(b -> b.nodeId() + "=" + b.host() + ":" + b.port())
                        .containsExactlyInAnyOrder("1=" + advertisedHost(1) + ":" + base,
                                "2=" + advertisedHost(2) + ":" + (base + 1), "3=" + advertisedHost(3) + ":" + (base + 2));
            }
        }
        // v0 has no error response: a wrong password makes the broker close the connection, and the gateway with it.
        try (RawConnection through = new RawConnection(GATEWAY, base)) {
            through.apiVersions();
            assertThat(through.saslHandshake(0, "PLAIN").errorCode()).isEqualTo(Errors.NONE.code());
            through.writeRawToken(plainToken(ALICE.withPassword(WRONG_PASSWORD)));
            assertThatThrownBy(through::readRawToken).isInstanceOf(EOFException.class);
        }
    }

    @Order(7)
    @Test
    void aWrongMetadataPasswordIsAOneLineStartupErrorNotATimeout() throws Exception {
        int otherBase = FreePorts.consecutive(GATEWAY, 3);
        long started = System.nanoTime();
        assertThatThrownBy(() -> Gateway.start(GatewayConfigLoader.load("wrong.yaml", gatewayYaml(otherBase, """
                metadata-client:
                  sasl.mechanism: SCRAM-SHA-512
                  sasl.jaas.config: '%s required username="%s" password="%s";'
                """.formatted(SCRAM_MODULE, GATEWAY_USER.name(), WRONG_PASSWORD))), new SimpleMeterRegistry()))
                .isInstanceOf(GatewayException.class)
                .hasMessage("rewrite: the metadata client cannot authenticate to " + upstreamBootstrap
                        + ": Authentication failed during authentication due to invalid credentials with SASL "
                        + "mechanism SCRAM-SHA-512; check metadata-client sasl.*");
        // Kafka fails a bad login at once; the request timeout (connect-timeout-ms 2000, twice for the call) is not
        // what ends it.
        Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("wrong metadata password: start failed after %d ms%n", failedAfter.toMillis());
        assertThat(failedAfter).isLessThan(Duration.ofMillis(3900));

        assertThatThrownBy(() -> Gateway.start(GatewayConfigLoader.load("none.yaml", gatewayYaml(otherBase, "")),
                new SimpleMeterRegistry()))
                .isInstanceOf(GatewayException.class)
                .hasMessageStartingWith("rewrite.upstream: cannot fetch metadata from ")
                .hasMessageEndingWith("(a cluster that requires SASL closes the connections of a client without it: "
                        + "if it does, give the gateway's credentials in metadata-client)");
    }

    @Order(8)
    @Test
    void aPasswordFileThroughTheFileProviderWorksToo() throws Exception {
        Path secrets = Files.createTempFile("brokerlink-gateway-secrets", ".properties");
        try {
            Files.writeString(secrets, FILE_PASSWORD_KEY + "=" + GATEWAY_USER.password() + "\n");
            int otherBase = FreePorts.consecutive(GATEWAY, 3);
            try (RunningGateway second = Gateway.start(GatewayConfigLoader.load("file.yaml", gatewayYaml(otherBase, """
                    metadata-client:
                      config.providers: file
                      security.protocol: SASL_PLAINTEXT
                      sasl.mechanism: SCRAM-SHA-256
                      sasl.jaas.config: '%s required username="%s" password="${file:%s:%s}";'
                    """.formatted(SCRAM_MODULE, GATEWAY_USER.name(), secrets, FILE_PASSWORD_KEY))),
                    new SimpleMeterRegistry())) {
                assertThat(second.readiness().isReady()).isTrue();
                assertThat(second.listenerAddresses()).hasSize(3);
            }
        } finally {
            Files.deleteIfExists(secrets);
        }
    }

    @Order(9)
    @Test
    void noSecretAppearsInAnyLogLine() {
        List<String> lines = logs.lines();
        // Kafka's client config dumps were captured (so the check covers them) and show the JAAS line hidden.
        assertThat(lines).anyMatch(l -> l.contains("AdminClientConfig values") && l.contains("sasl.jaas.config = [hidden]"));
        assertThat(lines).anyMatch(l -> l.contains("rewrite gateway ready"));
        for (String secret : List.of(ALICE.password(), MALLORY.password(), GATEWAY_USER.password(), WRONG_PASSWORD)) {
            assertThat(logs.linesContaining(secret)).as("log lines containing a secret").isEmpty();
        }
    }

    private KafkaConsumer<String, String> consumer(String mechanism, KafkaUser user, String group) {
        Map<String, Object> props = classicConsumer(mechanism, user);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The brokers' {@code successful-reauthentication-total} of their EXTERNAL listener, summed over the MBeans
     * this JVM shows (three in-process brokers share MBean names, so it may be fewer than all of them: a lower
     * bound).
     */
    private static double brokerSuccessfulReauthentications() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double sum = 0;
        Set<ObjectName> names = server.queryNames(
                new ObjectName("kafka.server:type=socket-server-metrics,listener=EXTERNAL,*"), null);
        assertThat(names).as("the brokers' socket-server-metrics MBeans").isNotEmpty();
        int counted = 0;
        for (ObjectName name : names) {
            // Per-client-software beans share the type and listener; only the processors' beans hold the counter.
            if (Arrays.stream(server.getMBeanInfo(name).getAttributes())
                    .anyMatch(a -> a.getName().equals("successful-reauthentication-total"))) {
                sum += ((Number) server.getAttribute(name, "successful-reauthentication-total")).doubleValue();
                counted++;
            }
        }
        assertThat(counted).as("beans with successful-reauthentication-total among " + names).isPositive();
        return sum;
    }

    private static byte[] plainToken(KafkaUser user) {
        return ("\0" + user.name() + "\0" + user.password()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One plain TCP connection speaking the Kafka protocol with kafka-clients' generated message classes, plus the
     * raw SASL tokens of SaslHandshake v0 (length-prefixed, no header) that no Java client sends any more.
     */
    private static final class RawConnection implements AutoCloseable {
        private final Socket socket = new Socket();
        private final DataOutputStream out;
        private final DataInputStream in;
        private int correlationId;

        RawConnection(String host, int port) throws IOException {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        /** ApiVersions, SaslHandshake v0 PLAIN, the raw PLAIN token, then Metadata on the authenticated connection. */
        MetadataResponseData plainV0Login(KafkaUser user) throws IOException {
            ApiVersionsResponseData versions = apiVersions();
            assertThat(versions.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(versions.apiKeys().find(ApiKeys.SASL_HANDSHAKE.id).minVersion()).isEqualTo((short) 0);
            SaslHandshakeResponseData handshake = saslHandshake(0, "PLAIN");
            assertThat(handshake.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(handshake.mechanisms()).contains("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
            writeRawToken(plainToken(user));
            assertThat(readRawToken()).as("PLAIN's empty server token").isEmpty();
            MetadataResponseData metadata = new MetadataResponseData(new ByteBufferAccessor(call(ApiKeys.METADATA,
                    (short) 12, new MetadataRequestData().setTopics(List.of()).setAllowAutoTopicCreation(false))),
                    (short) 12);
            assertThat(metadata.brokers()).hasSize(3);
            return metadata;
        }

        ApiVersionsResponseData apiVersions() throws IOException {
            return new ApiVersionsResponseData(new ByteBufferAccessor(call(ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("raw-sasl-v0").setClientSoftwareVersion("1"))),
                    (short) 3);
        }

        SaslHandshakeResponseData saslHandshake(int version, String mechanism) throws IOException {
            return new SaslHandshakeResponseData(new ByteBufferAccessor(call(ApiKeys.SASL_HANDSHAKE, (short) version,
                    new SaslHandshakeRequestData().setMechanism(mechanism))), (short) version);
        }

        void writeRawToken(byte[] token) throws IOException {
            out.writeInt(token.length);
            out.write(token);
            out.flush();
        }

        byte[] readRawToken() throws IOException {
            byte[] token = new byte[in.readInt()];
            in.readFully(token);
            return token;
        }

        /** Sends one request and returns the response body (after its header, checked for the correlation id). */
        private ByteBuffer call(ApiKeys api, short version, ApiMessage body) throws IOException {
            int id = ++correlationId;
            ByteBuffer request = RequestUtils.serialize(new RequestHeaderData().setRequestApiKey(api.id)
                    .setRequestApiVersion(version).setCorrelationId(id).setClientId("raw-sasl-v0"),
                    api.requestHeaderVersion(version), body, version);
            writeRawToken(java.util.Arrays.copyOfRange(request.array(), request.arrayOffset() + request.position(),
                    request.arrayOffset() + request.limit()));
            ByteBuffer response = ByteBuffer.wrap(readRawToken());
            ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(response),
                    api.responseHeaderVersion(version));
            assertThat(header.correlationId()).isEqualTo(id);
            return response;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
