package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.ConfigList;
import io.brokerlink.gateway.config.ConfigMap;
import io.brokerlink.gateway.config.ConfigNode;
import io.brokerlink.gateway.config.ConfigScalar;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Kafka client properties of the gateway's own metadata Admin ({@code metadata-client:} in the rewrite config):
 * how it authenticates to the cluster. Clients never use these credentials: their SASL exchange passes through
 * the gateway and they authenticate as themselves.
 *
 * <p>Strict: every key is an Admin client property ({@link AdminClientConfig#configNames()}), its value valid for
 * that property; the properties the gateway sets itself are refused with where they come from. Values may be
 * Kafka config-provider variables ({@link ConfigProviderVariables}); they are resolved when the file is read, so
 * {@link #properties()} holds the real values and {@link #toString()} hides the secret ones.
 *
 * @param properties Admin client properties, variables resolved; no {@code config.providers*} keys
 */
public record MetadataClient(Map<String, String> properties) {

    /** No settings: a PLAINTEXT metadata client, as before {@code metadata-client} existed. */
    public static final MetadataClient NONE = new MetadataClient(Map.of());

    /** Properties the gateway sets on its metadata Admin, and where their value comes from. */
    private static final Map<String, String> GATEWAYS_OWN = Map.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "is the gateway's: it comes from bootstrap-servers",
            AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "is not for the gateway: it reads broker metadata from "
                    + "bootstrap-servers, not from controllers",
            CommonClientConfigs.CLIENT_ID_CONFIG, "is the gateway's (brokerlink-gateway-metadata), so that broker "
                    + "logs and quotas tell the gateway apart from its clients",
            CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "is the gateway's: it comes from connect-timeout-ms",
            CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "is the gateway's: it is twice connect-timeout-ms");

    private static final String TLS_FROM_UPSTREAM_TLS = "TLS toward brokers is configured once, in upstream-tls, for "
            + "the metadata client and every proxied connection";

    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    public MetadataClient {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String problem = problemWithKey(e.getKey());
            if (problem == null) {
                problem = problemWithValue(e.getKey(), e.getValue());
            }
            if (problem != null) {
                throw new IllegalArgumentException("metadata-client." + e.getKey() + ": " + problem);
            }
        }
        String protocol = properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol != null && !SecurityProtocol.forName(protocol).name.startsWith("SASL_")
                && (properties.containsKey(SaslConfigs.SASL_MECHANISM) || properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG))) {
            throw new IllegalArgumentException("metadata-client.security.protocol: " + protocol + " does not "
                    + "authenticate, so sasl.mechanism and sasl.jaas.config would be ignored; use "
                    + (SecurityProtocol.forName(protocol) == SecurityProtocol.SSL ? "SASL_SSL" : "SASL_PLAINTEXT")
                    + " (or leave security.protocol out: sasl.mechanism implies it)");
        }
    }

    /**
     * The security protocol of the metadata client: SASL when this configuration authenticates ({@link #usesSasl()}),
     * over TLS when the gateway's broker leg uses TLS. TLS is decided by the gateway's TLS settings toward the brokers,
     * SASL by these: the metadata client must reach the brokers the way the proxied connections do.
     */
    public SecurityProtocol securityProtocol(boolean upstreamTls) {
        if (upstreamTls) {
            return usesSasl() ? SecurityProtocol.SASL_SSL : SecurityProtocol.SSL;
        }
        return usesSasl() ? SecurityProtocol.SASL_PLAINTEXT : SecurityProtocol.PLAINTEXT;
    }

    /** Whether the metadata client authenticates with SASL. */
    public boolean usesSasl() {
        String given = properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return given != null ? SecurityProtocol.forName(given).name.startsWith("SASL_")
                : properties.containsKey(SaslConfigs.SASL_MECHANISM) || properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG);
    }

    /** Keys and values, secret values (Kafka's PASSWORD type) as {@code [hidden]}, as Kafka logs them. */
    @Override
    public String toString() {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "[hidden]" : e.getValue()))
                .collect(Collectors.joining(", ", "MetadataClient{", "}"));
    }

    static boolean isSecret(String key) {
        ConfigDef.ConfigKey def = ADMIN.configKeys().get(key);
        return def == null || def.type == ConfigDef.Type.PASSWORD;
    }

    /**
     * Reads {@code metadata-client:}: a map of Admin client properties whose values are scalars (a list of scalars
     * is joined with commas, as Kafka's list properties are written). {@code config.providers} and its
     * {@code config.providers.NAME.class} / {@code .param.*} keys declare config providers whose variables are
     * resolved here. Every error names file, line and key, never a secret value.
     */
    static MetadataClient read(ConfigMap node) {
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, ConfigNode> nodes = new LinkedHashMap<>();
        List<String> providerNames = List.of();
        Map<String, String> providerKeys = new LinkedHashMap<>();
        for (String key : node.keys()) {
            ConfigNode value = node.optional(key).orElseThrow();
            String text = text(value, key);
            if (key.equals(ConfigProviderVariables.PREFIX)) {
                providerNames = List.of(text.split("\\s*,\\s*"));
                nodes.put(key, value);
            } else if (key.startsWith(ConfigProviderVariables.PREFIX + ".")) {
                providerKeys.put(key, text);
                nodes.put(key, value);
            } else {
                String problem = problemWithKey(key);
                if (problem != null) {
                    throw new ConfigException(node.keyLocation(key) + " " + node.pathOf(key) + ": " + problem);
                }
                raw.put(key, text);
                nodes.put(key, value);
            }
        }
        List<ConfigProviderVariables.Declared> declared = declaredProviders(node, providerNames, providerKeys);
        Map<String, String> resolved = new TreeMap<>();
        try (ConfigProviderVariables variables = start(node, nodes, declared)) {
            for (Map.Entry<String, String> e : raw.entrySet()) {
                String value;
                try {
                    value = variables.resolve(e.getValue());
                } catch (IllegalArgumentException ex) {
                    throw nodes.get(e.getKey()).error(ex.getMessage());
                }
                String problem = problemWithValue(e.getKey(), value);
                if (problem != null) {
                    throw nodes.get(e.getKey()).error(problem);
                }
                resolved.put(e.getKey(), value);
            }
        }
        try {
            return new MetadataClient(resolved);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().startsWith("metadata-client.security.protocol")
                    ? CommonClientConfigs.SECURITY_PROTOCOL_CONFIG : null;
            ConfigNode where = key != null && nodes.containsKey(key) ? nodes.get(key) : node;
            throw new ConfigException(where.location() + " " + e.getMessage());
        }
    }

    private static ConfigProviderVariables start(ConfigMap node, Map<String, ConfigNode> nodes,
                                                 List<ConfigProviderVariables.Declared> declared) {
        try {
            return ConfigProviderVariables.start(declared);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':')));
            ConfigNode where = nodes.getOrDefault(key, nodes.getOrDefault(ConfigProviderVariables.PREFIX, node));
            throw new ConfigException(where.location() + " " + node.path() + "." + e.getMessage());
        }
    }

    /** {@code config.providers: env, file} plus each one's class (Kafka's own for env, file, directory) and params. */
    private static List<ConfigProviderVariables.Declared> declaredProviders(ConfigMap node, List<String> names,
                                                                           Map<String, String> keys) {
        Map<String, String> classes = new LinkedHashMap<>();
        Map<String, Map<String, String>> params = new LinkedHashMap<>();
        for (String name : names) {
            if (name.isEmpty() || name.contains(".")) {
                throw node.required(ConfigProviderVariables.PREFIX).error("\"" + name
                        + "\" is not a provider name; use names like env, file, vault (no dots)");
            }
            params.put(name, new LinkedHashMap<>());
        }
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String rest = e.getKey().substring(ConfigProviderVariables.PREFIX.length() + 1);
            int param = rest.indexOf(".param.");
            String name = rest.endsWith(".class") ? rest.substring(0, rest.length() - ".class".length())
                    : param > 0 ? rest.substring(0, param) : null;
            if (name == null || !params.containsKey(name)) {
                throw new ConfigException(node.keyLocation(e.getKey()) + " " + node.pathOf(e.getKey()) + ": "
                        + (name == null ? "is not a provider setting; use " + ConfigProviderVariables.PREFIX
                        + ".NAME.class or " + ConfigProviderVariables.PREFIX + ".NAME.param.KEY"
                        : "names the provider \"" + name + "\", which " + ConfigProviderVariables.PREFIX
                        + " does not list (" + (names.isEmpty() ? "it is not set" : String.join(", ", names)) + ")"));
            }
            if (param > 0) {
                params.get(name).put(rest.substring(param + ".param.".length()), e.getValue());
            } else {
                classes.put(name, e.getValue());
            }
        }
        List<ConfigProviderVariables.Declared> declared = new ArrayList<>();
        for (String name : names) {
            String className = classes.getOrDefault(name, ConfigProviderVariables.KAFKA_PROVIDERS.get(name));
            if (className == null) {
                throw node.required(ConfigProviderVariables.PREFIX).error("the provider \"" + name + "\" has no "
                        + ConfigProviderVariables.PREFIX + "." + name + ".class; give its ConfigProvider class "
                        + "(env, file and directory default to Kafka's own)");
            }
            declared.add(new ConfigProviderVariables.Declared(name, className, params.get(name)));
        }
        return declared;
    }

    /** Why the gateway refuses this key, or null when it is an Admin client property it accepts. */
    private static String problemWithKey(String key) {
        String own = GATEWAYS_OWN.get(key);
        if (own != null) {
            return own;
        }
        if (key.startsWith(ConfigProviderVariables.PREFIX)) {
            return "config providers are resolved when the file is read and are not client properties";
        }
        if (!AdminClientConfig.configNames().contains(key)) {
            return "is not an Admin client property (see https://kafka.apache.org/documentation/#adminclientconfigs;"
                    + " e.g. security.protocol, sasl.mechanism, sasl.jaas.config)";
        }
        if (key.startsWith("ssl.")) {
            return "TLS settings are not accepted here: " + TLS_FROM_UPSTREAM_TLS;
        }
        return null;
    }

    /** Why this (resolved) value is invalid for the key, by the Admin client's own definition; null when valid. */
    private static String problemWithValue(String key, String value) {
        ConfigDef.ConfigKey def = ADMIN.configKeys().get(key);
        try {
            Object parsed = ConfigDef.parseType(key, value, def.type);
            if (def.validator != null) {
                def.validator.ensureValid(key, parsed);
            }
        } catch (org.apache.kafka.common.config.ConfigException e) {
            // Kafka's message quotes the value: fine for a protocol name, not for a password.
            return isSecret(key) ? "is not a valid " + def.type.name().toLowerCase(Locale.ROOT) + " value"
                    : e.getMessage();
        }
        if (key.equals(SaslConfigs.SASL_JAAS_CONFIG)) {
            // Parsed here too (Kafka parses it only when the client is built) so that a typo gets file and line.
            try {
                JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(value)));
            } catch (IllegalArgumentException e) {
                return "is not a JAAS line Kafka can read (" + e.getMessage() + "); e.g. "
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gateway\" "
                        + "password=\"${env:SCRAM_PASSWORD}\";";
            }
        }
        return null;
    }

    private static String text(ConfigNode value, String key) {
        if (value instanceof ConfigScalar scalar && scalar.type() != ConfigScalar.Type.NULL) {
            return scalar.text();
        }
        if (value instanceof ConfigList list) {
            List<String> items = new ArrayList<>();
            for (ConfigNode item : list.items()) {
                if (!(item instanceof ConfigScalar s) || s.type() == ConfigScalar.Type.NULL) {
                    throw item.error("is " + item.kind() + "; expected a value");
                }
                items.add(s.text());
            }
            return String.join(",", items);
        }
        throw value.error("is " + value.kind() + "; expected the value of the Admin client property " + key);
    }
}
