package io.brokerlink.gateway.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Kafka config-provider variables ({@code ${env:SCRAM_PASSWORD}}, {@code ${file:/etc/brokerlink/secrets:password}})
 * in client properties of the gateway's own file, resolved through Kafka's own {@link ConfigProvider}s so that
 * secrets need not be written in the file.
 *
 * <p>Kafka clients resolve such variables themselves when the properties declare {@code config.providers}
 * ("automatic" providers). Since 3.8 that is gated by the system property
 * {@value AbstractConfig#AUTOMATIC_CONFIG_PROVIDERS_PROPERTY}: unset, every provider class is allowed (Kafka 4.3);
 * set, only the classes it lists. The gateway resolves the variables itself, when the file is read, so that a
 * missing variable is an error naming file, line and variable instead of a literal {@code ${env:...}} sent as a
 * password; it applies the same gate, so an operator who restricts providers for the JVM restricts them here too.
 * Variables follow {@code ConfigTransformer}'s syntax: {@code ${provider:[path:]key}}.
 */
final class ConfigProviderVariables implements AutoCloseable {

    static final String PREFIX = "config.providers";

    /** Kafka's own providers under their usual names: {@code config.providers: env} needs no class line. */
    static final Map<String, String> KAFKA_PROVIDERS = Map.of(
            "env", EnvVarConfigProvider.class.getName(),
            "file", FileConfigProvider.class.getName(),
            "directory", DirectoryConfigProvider.class.getName());

    /** ConfigTransformer's variable pattern: provider, optional path, key. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)}");

    /** One declared provider: {@code config.providers.NAME.class} and its {@code .param.*} settings. */
    record Declared(String name, String className, Map<String, String> params) {
        Declared {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(className, "className");
            params = Map.copyOf(params);
        }
    }

    private final Map<String, ConfigProvider> providers;
    /** Providers configured with {@code allowed.paths}. */
    private final Set<String> restricted;

    private ConfigProviderVariables(Map<String, ConfigProvider> providers, Set<String> restricted) {
        this.providers = providers;
        this.restricted = restricted;
    }

    /**
     * Instantiates and configures each provider. A class that cannot be loaded, is not a {@link ConfigProvider},
     * refuses its parameters or is not allowed by the system property is an {@link IllegalArgumentException} whose
     * message starts with the key to fix ({@code config.providers.vault.class: ...}).
     */
    static ConfigProviderVariables start(List<Declared> declared) {
        Map<String, ConfigProvider> started = new LinkedHashMap<>();
        try {
            for (Declared d : declared) {
                String classKey = PREFIX + "." + d.name() + ".class";
                checkAllowed(classKey, d.className());
                ConfigProvider provider = instantiate(classKey, d.className());
                started.put(d.name(), provider);
                try {
                    provider.configure(d.params());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(PREFIX + "." + d.name() + ".param: " + d.className()
                            + " refuses its parameters: " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            new ConfigProviderVariables(started, Set.of()).close();
            throw e;
        }
        return new ConfigProviderVariables(started, declared.stream()
                .filter(d -> d.params().containsKey("allowed.paths")).map(Declared::name).collect(Collectors.toSet()));
    }

    /** The provider names a value refers to, in order ({@code env} for {@code ${env:X}}). */
    static List<String> referencedProviders(String value) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(value);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * {@code value} with every variable replaced by what its provider returns. A variable naming a provider that
     * was not declared, or a key the provider does not have, is an {@link IllegalArgumentException} naming the
     * variable (as written in the file, never the value it stands for).
     */
    String resolve(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String path = m.group(3) == null ? "" : m.group(3);
            String key = m.group(4);
            ConfigProvider provider = providers.get(name);
            if (provider == null) {
                throw new IllegalArgumentException(m.group() + " names the config provider \"" + name
                        + "\", which " + PREFIX + " does not declare (" + (providers.isEmpty() ? "it declares none"
                        : "declared: " + String.join(", ", providers.keySet())) + "); add it, e.g. "
                        + PREFIX + ": " + (KAFKA_PROVIDERS.containsKey(name) ? name : "env"));
            }
            ConfigData data;
            try {
                data = provider.get(path, Set.of(key));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(m.group() + ": the " + name + " provider failed: " + e.getMessage());
            }
            String replacement = data == null ? null : data.data().get(key);
            if (replacement == null) {
                throw new IllegalArgumentException(m.group() + " is not set: " + missing(name, path, key));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String missing(String name, String path, String key) {
        String className = providers.get(name).getClass().getName();
        if (className.equals(KAFKA_PROVIDERS.get("env"))) {
            return "the gateway's environment has no variable " + key
                    + " (or config.providers." + name + ".param.allowlist.pattern excludes it)";
        }
        // Both file providers answer "nothing" for a path outside their allowed.paths (KIP-993), not an error.
        String outside = restricted.contains(name) ? " (or " + path + " is outside config.providers." + name
                + ".param.allowed.paths)" : "";
        if (className.equals(KAFKA_PROVIDERS.get("file"))) {
            return "the properties file " + path + " has no key " + key + outside;
        }
        if (className.equals(KAFKA_PROVIDERS.get("directory"))) {
            return "the directory " + path + " has no file " + key + outside;
        }
        return "the " + name + " provider has no key " + key + (path.isEmpty() ? "" : " at " + path);
    }

    private static void checkAllowed(String classKey, String className) {
        String allowed = System.getProperty(AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY);
        if (allowed != null && Arrays.stream(allowed.split(",")).map(String::trim).noneMatch(className::equals)) {
            throw new IllegalArgumentException(classKey + ": " + className + " is not allowed by the system property "
                    + AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY + "=" + allowed
                    + "; add it to that comma-separated list or leave the property unset");
        }
    }

    private static ConfigProvider instantiate(String classKey, String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, ConfigProviderVariables.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(classKey + ": class " + className + " cannot be loaded; Kafka's own are "
                    + String.join(", ", KAFKA_PROVIDERS.values()));
        }
        if (!ConfigProvider.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(classKey + ": " + className + " is not a " + ConfigProvider.class.getName());
        }
        try {
            return (ConfigProvider) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(classKey + ": cannot create " + className + ": " + e);
        }
    }

    @Override
    public void close() {
        for (ConfigProvider p : providers.values()) {
            try {
                p.close();
            } catch (Exception ignored) {
                // Providers hold nothing the gateway needs back; a failing close must not hide the real outcome.
            }
        }
    }
}
