package io.brokerlink.gateway.testkit;

import io.brokerlink.sandbox.SandboxCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Broker and client settings for SASL and TLS listeners of a {@link SandboxCluster}: PLAIN users in the broker's JAAS
 * configuration, SCRAM users created through the Admin API (as an operator would), TLS from {@link TestCertificates}.
 *
 * <pre>{@code
 * SandboxCluster.Builder b = SandboxCluster.builder().listenerSecurity("EXTERNAL", "SASL_SSL");
 * SecureListeners.sasl(b, "EXTERNAL", USERS);
 * SecureListeners.tls(b, "EXTERNAL", serverCert, ca, true);
 * SandboxCluster cluster = b.start();
 * SecureListeners.createScramUsers(cluster, USERS);
 * Map<String, Object> client = SecureListeners.client("SASL_SSL", "SCRAM-SHA-512", alice, ca, Optional.of(aliceCert));
 * }</pre>
 */
public final class SecureListeners {

    public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** A Kafka user and its password (tests only). */
    public record KafkaUser(String name, String password) {

        public KafkaUser withPassword(String other) {
            return new KafkaUser(name, other);
        }
    }

    /** The variable the gateway POM sets for tests: the gateway's own SCRAM password, held only by the environment. */
    public static final String GATEWAY_PASSWORD_ENV = "BROKERLINK_TEST_METADATA_PASSWORD";

    private SecureListeners() {
    }

    /** The gateway's own login for its metadata client, {@code brokerlink-gateway} with the password from the POM. */
    public static KafkaUser gatewayUser() {
        String password = System.getenv(GATEWAY_PASSWORD_ENV);
        if (password == null || password.isBlank()) {
            throw new IllegalStateException(GATEWAY_PASSWORD_ENV + " is not set: run through Maven (the gateway POM "
                    + "sets it for tests)");
        }
        return new KafkaUser("brokerlink-gateway", password);
    }

    /** Enables PLAIN (with {@code users} in the JAAS config) and both SCRAM mechanisms on {@code listener}. */
    public static void sasl(SandboxCluster.Builder builder, String listener, List<KafkaUser> users) {
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        builder.brokerProperty(prefix + "sasl.enabled.mechanisms", String.join(",", MECHANISMS));
        StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        for (KafkaUser u : users) {
            plain.append(" user_").append(u.name()).append("=\"").append(u.password()).append('"');
        }
        builder.brokerProperty(prefix + "plain.sasl.jaas.config", plain.append(';').toString());
        for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
            builder.brokerProperty(prefix + scram + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
    }

    /** KIP-368: the broker makes clients re-authenticate on every SASL listener at least every {@code millis}. */
    public static void reauthentication(SandboxCluster.Builder builder, long millis) {
        builder.brokerProperty("connections.max.reauth.ms", Long.toString(millis));
    }

    /** TLS on {@code listener} with {@code server}'s keystore; {@code requireClientCertificate} turns on mTLS. */
    public static void tls(SandboxCluster.Builder builder, String listener, TestCertificates.Issued server,
                           TestCertificates.Authority ca, boolean requireClientCertificate) {
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        builder.brokerProperty(prefix + "ssl.keystore.type", "PKCS12");
        builder.brokerProperty(prefix + "ssl.keystore.location", server.keystore().toString());
        builder.brokerProperty(prefix + "ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        builder.brokerProperty(prefix + "ssl.key.password", TestCertificates.STORE_PASSWORD);
        builder.brokerProperty(prefix + "ssl.truststore.type", "PKCS12");
        builder.brokerProperty(prefix + "ssl.truststore.location", ca.truststore().toString());
        builder.brokerProperty(prefix + "ssl.truststore.password", TestCertificates.STORE_PASSWORD);
        builder.brokerProperty(prefix + "ssl.client.auth", requireClientCertificate ? "required" : "none");
    }

    /** Creates (or updates) SCRAM-SHA-256 and -512 credentials for every user, through INTERNAL. */
    public static void createScramUsers(SandboxCluster cluster, List<KafkaUser> users) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                cluster.internalBootstrap()))) {
            // One request per mechanism: a request may alter each user only once.
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                List<UserScramCredentialAlteration> upserts = users.stream()
                        .<UserScramCredentialAlteration>map(u -> new UserScramCredentialUpsertion(u.name(),
                                new ScramCredentialInfo(mechanism, 4096), u.password()))
                        .toList();
                admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            }
            // Credentials travel through the metadata log: wait until every broker can describe them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.describeUserScramCredentials().all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToInt(d -> d.credentialInfos().size()).sum() < 2 * users.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM users did not appear within 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * ACLs on {@code topic} that allow or deny every operation to the users named (through INTERNAL, as an operator
     * would). Once a topic has ACLs, {@code allow.everyone.if.no.acl.found} no longer applies to it: whoever should
     * still use it must be among {@code allowed}.
     */
    public static void topicAcls(SandboxCluster cluster, String topic, List<KafkaUser> allowed, List<KafkaUser> denied)
            throws Exception {
        ResourcePattern pattern = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        List<AclBinding> bindings = new ArrayList<>();
        for (KafkaUser u : denied) {
            bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + u.name(), "*", AclOperation.ALL,
                    AclPermissionType.DENY)));
        }
        for (KafkaUser u : allowed) {
            bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + u.name(), "*", AclOperation.ALL,
                    AclPermissionType.ALLOW)));
        }
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                cluster.internalBootstrap()))) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Client settings for {@code securityProtocol} (SASL_PLAINTEXT or SASL_SSL) as {@code user}: the SASL mechanism
     * and JAAS line, and for SASL_SSL the CA as trust store (hostname verification stays on: Kafka's default) and
     * optionally a client certificate.
     */
    public static Map<String, Object> client(String securityProtocol, String mechanism, KafkaUser user,
                                             TestCertificates.Authority ca,
                                             java.util.Optional<TestCertificates.Issued> clientCertificate) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        props.put(SaslConfigs.SASL_MECHANISM, mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user.name()
                + "\" password=\"" + user.password() + "\";");
        if (securityProtocol.endsWith("SSL")) {
            props.putAll(tlsClient(ca, clientCertificate));
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        }
        return props;
    }

    /**
     * Client settings for an SSL listener: the CA as trust store (hostname verification stays on: Kafka's default)
     * and optionally a client certificate for mTLS.
     */
    public static Map<String, Object> tlsClient(TestCertificates.Authority ca,
                                                java.util.Optional<TestCertificates.Issued> clientCertificate) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.truststore().toString());
        props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.STORE_PASSWORD);
        clientCertificate.ifPresent(c -> {
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
            props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, c.keystore().toString());
            props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.STORE_PASSWORD);
            props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, TestCertificates.STORE_PASSWORD);
        });
        return props;
    }
}
