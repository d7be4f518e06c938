package io.brokerlink.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import io.brokerlink.gateway.testkit.TestCertificates;
import io.brokerlink.gateway.testkit.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listener-tls} and {@code upstream-tls} read from YAML: what is accepted, and every error naming file, line and key. */
class TlsConfigTest {

    private static final String BASE = """
            mode: rewrite
            bootstrap-servers: [10.0.0.1:9093]
            dynamic: {first-node-id: 1, listen-base-port: 9093}
            advertised: {fixed-host: gw.example.com}
            """;
    private static final String KEY_PASSWORD = "key-pass-4d1e";
    private static final String STORE_PASSWORD = "store-pass-9a7c";

    @TempDir
    static Path dir;
    static TestCertificates.Authority ca;
    static TestCertificates.Issued server;
    static TestCertificates.Issued other;
    static Path encryptedKey;
    static Path p12;
    static Path jks;
    static Path oddName;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.authority(dir.resolve("ca"), "TLS config test CA");
        server = ca.server("gateway", List.of("gw.example.com"));
        other = ca.server("other", List.of("other.example.com"));
        encryptedKey = TlsFiles.encryptedKey(server, KEY_PASSWORD, dir.resolve("gateway-key-encrypted.pem"));
        p12 = TlsFiles.keystore(server, "PKCS12", STORE_PASSWORD, dir.resolve("gateway.p12"));
        jks = TlsFiles.keystore(server, "JKS", STORE_PASSWORD, dir.resolve("gateway.jks"));
        oddName = Files.copy(p12, dir.resolve("gateway.store"));
    }

    static RewriteConfig load(String tls) {
        return (RewriteConfig) GatewayConfigLoader.load("gateway.yaml", BASE + tls);
    }

    /** The line (1-based) of the first line of {@code tls} containing {@code text}, in the file {@link #load} reads. */
    static int line(String tls, String text) {
        String[] lines = (BASE + tls).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in the YAML");
    }

    @Test
    void pemListenerAndUpstreamWithDefaults() {
        RewriteConfig config = load("""
                listener-tls:
                  cert: %s
                  key: %s
                upstream-tls:
                  ca: %s
                """.formatted(server.certificatePem(), server.keyPem(), ca.certificatePem()));
        ListenerTls listener = config.listenerTls();
        assertThat(listener.key()).isEqualTo(new KeyMaterial.Pem(server.certificatePem(), server.keyPem(), null));
        assertThat(listener.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(listener.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(listener.ciphers()).isEmpty();
        assertThat(listener.reloadCheck().toMillis()).isEqualTo(10_000);
        UpstreamTls upstream = config.upstreamTls();
        assertThat(upstream.trust()).isEqualTo(new TrustMaterial.PemBundle(ca.certificatePem()));
        assertThat(upstream.hostnameVerification()).isTrue();
        assertThat(upstream.clientKey()).isNull();
    }

    @Test
    void anEmptyUpstreamMapTrustsTheSystemCas() {
        assertThat(load("upstream-tls: {}\n").upstreamTls().trust()).isInstanceOf(TrustMaterial.SystemCas.class);
    }

    @Test
    void keystoresTakeTheirTypeFromTheExtensionAndPasswordsFromFilesOrLiterals() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("store-password.txt"), STORE_PASSWORD + "\n");
        RewriteConfig p12Config = load("""
                listener-tls:
                  keystore: %s
                  keystore-password: file:%s
                """.formatted(p12, passwordFile));
        KeyMaterial.KeyStoreFile store = (KeyMaterial.KeyStoreFile) p12Config.listenerTls().key();
        assertThat(store.type()).isEqualTo(StoreType.PKCS12);
        assertThat(store.password().value()).isEqualTo(STORE_PASSWORD);
        assertThat(store.password().toString()).isEqualTo("Secret(file:" + passwordFile + ")")
                .doesNotContain(STORE_PASSWORD);
        assertThat(store.load().leaf()).isEqualTo(server.certificate());
        RewriteConfig jksConfig = load("""
                listener-tls:
                  keystore: %s
                  keystore-password: "%s"
                """.formatted(jks, STORE_PASSWORD));
        assertThat(((KeyMaterial.KeyStoreFile) jksConfig.listenerTls().key()).type()).isEqualTo(StoreType.JKS);
        assertThat(jksConfig.listenerTls().key().load().leaf()).isEqualTo(server.certificate());
        RewriteConfig typed = load("""
                listener-tls:
                  keystore: %s
                  keystore-type: pkcs12
                  keystore-password: "%s"
                """.formatted(oddName, STORE_PASSWORD));
        assertThat(((KeyMaterial.KeyStoreFile) typed.listenerTls().key()).type()).isEqualTo(StoreType.PKCS12);
    }

    @Test
    void anEncryptedPkcs8KeyOpensWithItsPassword() {
        RewriteConfig config = load("""
                listener-tls:
                  cert: %s
                  key: %s
                  key-password: "%s"
                """.formatted(server.certificatePem(), encryptedKey, KEY_PASSWORD));
        assertThat(config.listenerTls().key().load().key()).isEqualTo(server.key());
    }

    @Test
    void mutualTlsAndProtocolsAndCiphers() {
        RewriteConfig config = load("""
                listener-tls:
                  cert: %s
                  key: %s
                  client-auth: required
                  client-ca: %s
                  protocols: [TLSv1.3]
                  ciphers: [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]
                  reload-check-ms: 500
                """.formatted(server.certificatePem(), server.keyPem(), ca.certificatePem()));
        ListenerTls tls = config.listenerTls();
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(tls.clientTrust()).isEqualTo(new TrustMaterial.PemBundle(ca.certificatePem()));
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.ciphers()).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
        assertThat(tls.reloadCheck().toMillis()).isEqualTo(500);
        assertThat(tls.files()).containsExactly(server.certificatePem(), server.keyPem(), ca.certificatePem());
    }

    @Test
    void bothPemAndKeystoreIsAnErrorNamingTheKeys() {
        String tls = """
                listener-tls:
                  cert: %s
                  key: %s
                  keystore: %s
                  keystore-password: x
                """.formatted(server.certificatePem(), server.keyPem(), p12);
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:" + line(tls, "cert:") + ":3 listener-tls: cert and keystore are both set; "
                        + "give either cert + key (PEM files) or keystore (PKCS12/JKS)");
    }

    @Test
    void neitherPemNorKeystoreIsAnError() {
        String tls = """
                listener-tls:
                  client-auth: none
                """;
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:" + line(tls, "client-auth") + ":3 listener-tls: neither cert + key nor "
                        + "keystore is set; give cert + key (PEM files) or keystore (PKCS12/JKS)");
    }

    @Test
    void aMissingFileIsNamedWithTheLineOfItsKey() {
        Path missing = dir.resolve("nope/gateway.pem");
        String tls = """
                listener-tls:
                  cert: %s
                  key: %s
                """.formatted(missing, server.keyPem());
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:" + line(tls, "cert:") + ":9 listener-tls.cert: " + missing + ": no such file");
    }

    @Test
    void aWrongKeystorePasswordIsNamedWithoutShowingIt() {
        String tls = """
                listener-tls:
                  keystore: %s
                  keystore-password: "wrong-password-77"
                """.formatted(p12);
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:" + line(tls, "keystore-password") + ":22 listener-tls.keystore-password: "
                        + "does not open " + p12 + " (wrong password, from a literal value)")
                .message().doesNotContain("wrong-password-77");
        String jksTls = tls.replace(p12.toString(), jks.toString());
        assertThatThrownBy(() -> load(jksTls)).hasMessageContaining("listener-tls.keystore-password: does not open " + jks);
    }

    @Test
    void aWrongKeyPasswordIsNamed() {
        String tls = """
                listener-tls:
                  cert: %s
                  key: %s
                  key-password: not-it
                """.formatted(server.certificatePem(), encryptedKey);
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:" + line(tls, "key-password") + ":17 listener-tls.key-password: does not "
                        + "decrypt the private key in " + encryptedKey + " (wrong password, from a literal value)");
        String noPassword = """
                listener-tls:
                  cert: %s
                  key: %s
                """.formatted(server.certificatePem(), encryptedKey);
        assertThatThrownBy(() -> load(noPassword)).hasMessage("gateway.yaml:" + line(noPassword, "cert:") + ":3 "
                + "listener-tls.key-password: missing; " + encryptedKey + " holds an encrypted private key: give its "
                + "password");
    }

    @Test
    void anUnknownProtocolOrCipherIsNamed() {
        String tls = """
                listener-tls:
                  cert: %s
                  key: %s
                  protocols: [TLSv1.3, TLSv1.4]
                """.formatted(server.certificatePem(), server.keyPem());
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml:" + line(tls, "protocols") + ":24 listener-tls.protocols[1]: "
                        + "\"TLSv1.4\" is not a TLS protocol this JVM enables; use some of TLSv1.3, TLSv1.2");
        String cipher = tls.replace("protocols: [TLSv1.3, TLSv1.4]", "ciphers: [TLS_AES_128_GCM_SHA256, TLS_MADE_UP_SHA1]");
        assertThatThrownBy(() -> load(cipher)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml:" + line(cipher, "ciphers") + ":37 listener-tls.ciphers[1]: "
                        + "\"TLS_MADE_UP_SHA1\" is not a cipher suite this JVM supports");
    }

    @Test
    void aMissingEnvironmentVariableIsNamed() {
        String tls = """
                listener-tls:
                  keystore: %s
                  keystore-password: env:BROKERLINK_TEST_UNSET_PASSWORD
                """.formatted(p12);
        assertThat(System.getenv("BROKERLINK_TEST_UNSET_PASSWORD")).isNull();
        assertThatThrownBy(() -> load(tls)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway.yaml:" + line(tls, "keystore-password") + ":22 listener-tls.keystore-password: "
                        + "environment variable BROKERLINK_TEST_UNSET_PASSWORD is not set; export it before starting the "
                        + "gateway, or give the password as file:PATH");
        String file = tls.replace("env:BROKERLINK_TEST_UNSET_PASSWORD", "file:" + dir.resolve("no-such-secret"));
        assertThatThrownBy(() -> load(file)).hasMessageContaining("listener-tls.keystore-password: file:"
                + dir.resolve("no-such-secret") + ": no such file");
    }

    @Test
    void clientAuthNeedsACaAndACaNeedsClientAuth() {
        String noCa = """
                listener-tls:
                  cert: %s
                  key: %s
                  client-auth: required
                """.formatted(server.certificatePem(), server.keyPem());
        assertThatThrownBy(() -> load(noCa)).hasMessage("gateway.yaml:" + line(noCa, "client-auth") + ":16 "
                + "listener-tls.client-auth: required needs the CA that signs client certificates: give client-ca (PEM) "
                + "or truststore");
        String noAuth = """
                listener-tls:
                  cert: %s
                  key: %s
                  client-ca: %s
                """.formatted(server.certificatePem(), server.keyPem(), ca.certificatePem());
        assertThatThrownBy(() -> load(noAuth)).hasMessageStartingWith("gateway.yaml:" + line(noAuth, "client-ca")
                + ":14 listener-tls.client-ca: is set but client-auth is none");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        String tls = """
                listener-tls:
                  cert: %s
                  key: %s
                """.formatted(server.certificatePem(), other.keyPem());
        assertThatThrownBy(() -> load(tls)).hasMessage("gateway.yaml:" + line(tls, "key:") + ":8 listener-tls.key: "
                + other.keyPem() + ": the private key does not belong to the certificate CN=gw.example.com in "
                + server.certificatePem());
    }

    @Test
    void aPkcs1KeyGetsTheConversionCommand() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa-key.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
                        + "-----END RSA PRIVATE KEY-----\n");
        String tls = """
                listener-tls:
                  cert: %s
                  key: %s
                """.formatted(server.certificatePem(), pkcs1);
        assertThatThrownBy(() -> load(tls)).hasMessageContaining("listener-tls.key: " + pkcs1 + ": holds a \"RSA "
                + "PRIVATE KEY\" (PKCS#1/SEC1); give the key as PKCS#8 (-----BEGIN PRIVATE KEY-----), converted with: "
                + "openssl pkcs8 -topk8 -in rsa-key.pem -out key-pkcs8.pem");
    }

    @Test
    void strictKeys() {
        String typo = """
                listener-tls:
                  cert: %s
                  key: %s
                  client-auht: required
                """.formatted(server.certificatePem(), server.keyPem());
        assertThatThrownBy(() -> load(typo)).hasMessageStartingWith("gateway.yaml:" + line(typo, "client-auht")
                + ":3 listener-tls.client-auht: unknown key; valid keys in listener-tls are ")
                .hasMessageContaining("client-auth");
        String orphan = """
                upstream-tls:
                  truststore-password: x
                """;
        assertThatThrownBy(() -> load(orphan)).hasMessage("gateway.yaml:" + line(orphan, "truststore-password")
                + ":24 upstream-tls.truststore-password: is set but truststore is not; give truststore too, or remove "
                + "truststore-password");
        String noType = """
                listener-tls:
                  keystore: %s
                  keystore-password: x
                """.formatted(dir.resolve("gateway.keys"));
        assertThatThrownBy(() -> load(noType)).hasMessageContaining("listener-tls: keystore-type: missing; the type "
                + "cannot be told from the name gateway.keys (.p12/.pfx PKCS12, .jks JKS): give PKCS12 or JKS");
        String verify = """
                upstream-tls:
                  hostname-verification: "no"
                """;
        assertThatThrownBy(() -> load(verify)).hasMessageContaining("upstream-tls.hostname-verification: is a string;"
                + " expected true or false");
    }

    @Test
    void upstreamTlsBecomesKafkaClientProperties() throws Exception {
        TestCertificates.Issued client = ca.client("gateway-client");
        Path clientKey = TlsFiles.encryptedKey(client, KEY_PASSWORD, dir.resolve("client-key-encrypted.pem"));
        RewriteConfig config = load("""
                upstream-tls:
                  ca: %s
                  hostname-verification: false
                  cert: %s
                  key: %s
                  key-password: "%s"
                  protocols: [TLSv1.3]
                """.formatted(ca.certificatePem(), client.certificatePem(), clientKey, KEY_PASSWORD));
        Map<String, Object> props = config.upstreamTls().kafkaClientProperties();
        assertThat(props).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", ca.certificatePem().toAbsolutePath().toString())
                .containsEntry("ssl.endpoint.identification.algorithm", "")
                .containsEntry("ssl.enabled.protocols", "TLSv1.3")
                .containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", Files.readString(client.certificatePem()))
                .doesNotContainKey("ssl.key.password");
        // Kafka cannot decrypt PBES2 keys on Java 17: it gets the key decrypted, in memory, as PKCS#8 PEM.
        String pem = (String) props.get("ssl.keystore.key");
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "")))
                .isEqualTo(client.key().getEncoded());
        Map<String, Object> store = load("""
                upstream-tls:
                  truststore: %s
                  truststore-password: "%s"
                  keystore: %s
                  keystore-password: "%s"
                """.formatted(ca.truststore(), TestCertificates.STORE_PASSWORD, p12, STORE_PASSWORD))
                .upstreamTls().kafkaClientProperties();
        assertThat(store).containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", TestCertificates.STORE_PASSWORD)
                .containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("ssl.keystore.location", p12.toAbsolutePath().toString())
                .containsEntry("ssl.key.password", STORE_PASSWORD)
                .doesNotContainKey("ssl.endpoint.identification.algorithm");
    }

    @Test
    void theCommentedExampleLoadsWithItsFilesInPlace() throws Exception {
        Path tlsDir = Files.createDirectories(dir.resolve("example-tls"));
        TestCertificates.Authority clients = TestCertificates.authority(tlsDir.resolve("clients"), "example clients CA");
        TestCertificates.Issued upstreamClient = ca.client("example-gateway-client");
        Files.copy(server.certificatePem(), tlsDir.resolve("gateway.pem"));
        TlsFiles.encryptedKey(server, KEY_PASSWORD, tlsDir.resolve("gateway-key.pem"));
        Files.writeString(tlsDir.resolve("gateway-key-password"), KEY_PASSWORD + "\n");
        Files.copy(clients.certificatePem(), tlsDir.resolve("clients-ca.pem"));
        Files.copy(ca.certificatePem(), tlsDir.resolve("cluster-ca.pem"));
        Files.copy(upstreamClient.certificatePem(), tlsDir.resolve("gateway-client.pem"));
        Files.copy(upstreamClient.keyPem(), tlsDir.resolve("gateway-client-key.pem"));
        String example = Files.readString(Path.of("..", "examples", "gateway", "rewrite-tls.yaml"))
                .replace("/etc/brokerlink/tls/", tlsDir + "/");
        RewriteConfig config = (RewriteConfig) GatewayConfigLoader.load("rewrite-tls.yaml", example);
        assertThat(config.listenerTls().clientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(config.listenerTls().key().load().leaf()).isEqualTo(server.certificate());
        assertThat(config.upstreamTls().clientKey().load().leaf()).isEqualTo(upstreamClient.certificate());
        assertThat(config.upstreamTls().hostnameVerification()).isTrue();
    }

    @Test
    void anEnvironmentVariableHoldsAPassword() throws Exception {
        String password = System.getenv("BROKERLINK_TEST_METADATA_PASSWORD"); // set by the POM for the test JVM only
        assertThat(password).isNotBlank();
        Path store = TlsFiles.keystore(server, "PKCS12", password, dir.resolve("env-password.p12"));
        RewriteConfig config = load("""
                listener-tls:
                  keystore: %s
                  keystore-password: env:BROKERLINK_TEST_METADATA_PASSWORD
                """.formatted(store));
        KeyMaterial.KeyStoreFile key = (KeyMaterial.KeyStoreFile) config.listenerTls().key();
        assertThat(key.password().toString()).isEqualTo("Secret(env:BROKERLINK_TEST_METADATA_PASSWORD)");
        assertThat(key.load().leaf()).isEqualTo(server.certificate());
    }

    @Test
    void aSecretNeverShowsItsValue() {
        Secret literal = Secret.parse("hunter2-value");
        assertThat(literal.value()).isEqualTo("hunter2-value");
        assertThat(literal.toString()).isEqualTo("Secret(a literal value)");
        assertThat(Secret.parse("literal:env:not-a-variable").value()).isEqualTo("env:not-a-variable");
        assertThat(new UpstreamTls(null, true, new KeyMaterial.KeyStoreFile(p12, StoreType.PKCS12,
                Secret.literal(STORE_PASSWORD), null), null, null).toString()).doesNotContain(STORE_PASSWORD);
    }
}
