package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metadata-client:} as the file states it: Admin client properties, strictly checked, with Kafka's config
 * providers for secrets. The environment variable BROKERLINK_TEST_METADATA_PASSWORD is set by the gateway POM.
 */
class MetadataClientTest {

    static final String ENV = "BROKERLINK_TEST_METADATA_PASSWORD";
    static final String HEAD = """
            mode: rewrite
            bootstrap-servers: [10.0.0.1:9092, 10.0.0.2:9092]
            dynamic: {first-node-id: 1, listen-base-port: 9093, count: 3}
            advertised: {fixed-host: gw.example.com}
            metadata-client:
            """;
    static final String SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\\\"brokerlink-gateway\\\" password=\\\"%s\\\";";

    @TempDir
    Path dir;

    static RewriteConfig load(String metadataClient) {
        return (RewriteConfig) GatewayConfigLoader.load("g.yaml", HEAD + metadataClient.indent(2));
    }

    static String jaas(String password) {
        return "\"" + SCRAM.formatted(password) + "\"";
    }

    @Test
    void saslSettingsReachTheMetadataAdminUnderTheGatewaysOwnBootstrapAndClientId() {
        RewriteConfig config = load("""
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: %s
                """.formatted(jaas("literal-pw-0c9d")));
        Properties admin = RewriteGateway.metadataAdminProperties(config);
        assertThat(admin).containsEntry("security.protocol", "SASL_PLAINTEXT") // implied by sasl.mechanism
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", "10.0.0.1:9092,10.0.0.2:9092")
                .containsEntry("client.id", "brokerlink-gateway-metadata");
        assertThat((String) admin.get("sasl.jaas.config")).contains("password=\"literal-pw-0c9d\"");
        // TLS toward the brokers is not metadata-client's to decide; SASL is: the two combine.
        assertThat(config.metadataClient().securityProtocol(true).name).isEqualTo("SASL_SSL");
        assertThat(MetadataClient.NONE.securityProtocol(true).name).isEqualTo("SSL");
        // The record (and so any log line that prints the configuration) hides the JAAS line, as Kafka does.
        assertThat(config.toString()).contains("sasl.mechanism=SCRAM-SHA-512", "sasl.jaas.config=[hidden]")
                .doesNotContain("literal-pw-0c9d");
    }

    @Test
    void withoutMetadataClientTheAdminIsPlaintextAsBefore() {
        RewriteConfig config = (RewriteConfig) GatewayConfigLoader.load("g.yaml", HEAD.replace("metadata-client:\n", ""));
        assertThat(config.metadataClient()).isEqualTo(MetadataClient.NONE);
        assertThat(RewriteGateway.metadataAdminProperties(config)).containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKey("sasl.mechanism");
    }

    @Test
    void anEnvironmentVariableStandsInForThePassword() {
        assertThat(System.getenv(ENV)).as("set by the gateway POM").isNotBlank();
        RewriteConfig config = load("""
                config.providers: env
                security.protocol: SASL_PLAINTEXT
                sasl.mechanism: SCRAM-SHA-256
                sasl.jaas.config: %s
                """.formatted(jaas("${env:" + ENV + "}")));
        assertThat(config.metadataClient().properties().get("sasl.jaas.config"))
                .contains("password=\"" + System.getenv(ENV) + "\"").doesNotContain("${");
        assertThat(config.metadataClient().properties()).doesNotContainKeys("config.providers");
    }

    @Test
    void aMissingEnvironmentVariableNamesTheLineAndTheVariableNotAValue() {
        assertThatThrownBy(() -> load("""
                config.providers: env
                sasl.mechanism: PLAIN
                sasl.jaas.config: %s
                """.formatted(jaas("${env:BROKERLINK_NO_SUCH_VARIABLE}"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("g.yaml:8:")
                .hasMessageContaining("metadata-client.sasl.jaas.config: ${env:BROKERLINK_NO_SUCH_VARIABLE} is not set: "
                        + "the gateway's environment has no variable BROKERLINK_NO_SUCH_VARIABLE");
    }

    @Test
    void aPropertiesFileHoldsThePasswordThroughTheFileProvider() throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "password=file-pw-81aa\n");
        RewriteConfig config = load("""
                config.providers: file
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: %s
                """.formatted(jaas("${file:" + secrets + ":password}")));
        assertThat(config.metadataClient().properties().get("sasl.jaas.config")).contains("password=\"file-pw-81aa\"");

        assertThatThrownBy(() -> load("""
                config.providers: file
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: %s
                """.formatted(jaas("${file:" + secrets + ":passwrd}"))))
                .hasMessageContaining("is not set: the properties file " + secrets + " has no key passwrd");
        assertThatThrownBy(() -> load("""
                config.providers: file
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: %s
                """.formatted(jaas("${file:" + dir.resolve("missing.properties") + ":password}"))))
                .hasMessageContaining("the file provider failed: Could not read properties from file "
                        + dir.resolve("missing.properties"));
    }

    @Test
    void providerParametersAndExplicitClassesAreKafkasOwn() throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "password=file-pw-81aa\n");
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        // FileConfigProvider's allowed.paths (KIP-993) limits what the file may name.
        assertThatThrownBy(() -> load("""
                config.providers: secrets
                config.providers.secrets.class: %s
                config.providers.secrets.param.allowed.paths: %s
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: %s
                """.formatted(FileConfigProvider.class.getName(), elsewhere, jaas("${secrets:" + secrets + ":password}"))))
                .hasMessageContaining("${secrets:" + secrets + ":password}");
        RewriteConfig config = load("""
                config.providers: secrets
                config.providers.secrets.class: %s
                config.providers.secrets.param.allowed.paths: %s
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: %s
                """.formatted(FileConfigProvider.class.getName(), dir, jaas("${secrets:" + secrets + ":password}")));
        assertThat(config.metadataClient().properties().get("sasl.jaas.config")).contains("file-pw-81aa");
    }

    @Test
    void aVariableOfAnUndeclaredProviderIsAnErrorNotALiteralPassword() {
        assertThatThrownBy(() -> load("""
                sasl.mechanism: PLAIN
                sasl.jaas.config: %s
                """.formatted(jaas("${env:" + ENV + "}"))))
                .hasMessageContaining("metadata-client.sasl.jaas.config: ${env:" + ENV + "} names the config provider "
                        + "\"env\", which config.providers does not declare (it declares none); add it, e.g. "
                        + "config.providers: env");
        assertThatThrownBy(() -> load("""
                config.providers: vault
                sasl.jaas.config: x
                """)).hasMessageContaining("g.yaml:6:").hasMessageContaining("the provider \"vault\" has no "
                + "config.providers.vault.class");
        assertThatThrownBy(() -> load("""
                config.providers: env
                config.providers.fiel.class: org.example.Nope
                """)).hasMessageContaining("g.yaml:7:").hasMessageContaining(
                "metadata-client.config.providers.fiel.class: names the provider \"fiel\", which config.providers "
                        + "does not list (env)");
        assertThatThrownBy(() -> load("""
                config.providers: vault
                config.providers.vault.class: org.example.NoSuchProvider
                """)).hasMessageContaining("g.yaml:7:").hasMessageContaining(
                "metadata-client.config.providers.vault.class: class org.example.NoSuchProvider cannot be loaded");
    }

    @Test
    void theAutomaticConfigProvidersSystemPropertyIsHonoured() {
        String property = AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY;
        String before = System.getProperty(property);
        String yaml = """
                config.providers: env
                sasl.mechanism: SCRAM-SHA-256
                sasl.jaas.config: %s
                """.formatted(jaas("${env:" + ENV + "}"));
        try {
            System.setProperty(property, FileConfigProvider.class.getName());
            assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("g.yaml:6:")
                    .hasMessageContaining("metadata-client.config.providers.env.class: "
                            + "org.apache.kafka.common.config.provider.EnvVarConfigProvider is not allowed by the system "
                            + "property " + property + "=" + FileConfigProvider.class.getName());
            System.setProperty(property, FileConfigProvider.class.getName()
                    + ",org.apache.kafka.common.config.provider.EnvVarConfigProvider");
            assertThat(load(yaml).metadataClient().properties().get("sasl.jaas.config")).contains(System.getenv(ENV));
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @Test
    void unknownAndGatewayOwnedKeysAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> load("sasl.mechansim: PLAIN\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("g.yaml:6:3 metadata-client.sasl.mechansim: is not an Admin client property");
        assertThatThrownBy(() -> load("key.serializer: x\n"))
                .hasMessageStartingWith("g.yaml:6:3 metadata-client.key.serializer: is not an Admin client property");
        assertThatThrownBy(() -> load("bootstrap.servers: 10.9.9.9:9092\n"))
                .hasMessage("g.yaml:6:3 metadata-client.bootstrap.servers: is the gateway's: it comes from bootstrap-servers");
        assertThatThrownBy(() -> load("client.id: mine\n"))
                .hasMessageStartingWith("g.yaml:6:3 metadata-client.client.id: is the gateway's (brokerlink-gateway-metadata)");
        assertThatThrownBy(() -> load("request.timeout.ms: 1000\n"))
                .hasMessageContaining("metadata-client.request.timeout.ms: is the gateway's: it comes from connect-timeout-ms");
    }

    @Test
    void badValuesGetKafkasOwnRuleButNeverTheSecret() {
        assertThatThrownBy(() -> load("security.protocol: SASL_PLAINTEXTT\n"))
                .hasMessageStartingWith("g.yaml:6:").hasMessageContaining("metadata-client.security.protocol: Invalid value "
                        + "SASL_PLAINTEXTT for configuration security.protocol: String must be one of");
        assertThatThrownBy(() -> load("retries: many\n"))
                .hasMessageContaining("metadata-client.retries: Invalid value many for configuration retries");
        assertThatThrownBy(() -> load("sasl.jaas.config: \"ScramLoginModule username=\\\"gw\\\" password=\\\"pw-secret-77\\\"\"\n"))
                .hasMessageContaining("metadata-client.sasl.jaas.config: is not a JAAS line Kafka can read")
                .message().doesNotContain("pw-secret-77");
        assertThatThrownBy(() -> load("""
                security.protocol: PLAINTEXT
                sasl.mechanism: PLAIN
                """)).hasMessageStartingWith("g.yaml:6:").hasMessageContaining("metadata-client.security.protocol: "
                + "PLAINTEXT does not authenticate, so sasl.mechanism and sasl.jaas.config would be ignored");
        assertThatThrownBy(() -> load("security.protocol: SASL_SSL\n"))
                .hasMessageContaining("metadata-client.security.protocol: SASL_SSL needs upstream-tls: the TLS settings "
                        + "toward brokers (trust, host-name check, client certificate) are given once there");
        assertThatThrownBy(() -> load("ssl.truststore.location: /etc/ca.p12\n"))
                .hasMessageContaining("metadata-client.ssl.truststore.location: TLS settings are not accepted here: "
                        + "TLS toward brokers is configured once, in upstream-tls");
        assertThatThrownBy(() -> load("sasl.mechanism: [PLAIN, {a: b}]\n"))
                .hasMessageContaining("metadata-client.sasl.mechanism[1]: is a map; expected a value");
    }

    @Test
    void recordsRefuseWhatTheFileWouldRefuse() {
        assertThatThrownBy(() -> new MetadataClient(java.util.Map.of("client.id", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("metadata-client.client.id: ");
        assertThatThrownBy(() -> new MetadataClient(java.util.Map.of("config.providers", "env")))
                .hasMessageContaining("config providers are resolved when the file is read");
    }
}
