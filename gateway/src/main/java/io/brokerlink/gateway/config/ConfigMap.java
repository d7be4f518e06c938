package io.brokerlink.gateway.config;

import io.brokerlink.core.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A YAML mapping, read field by field. Every key a reader asks for (present or not) is remembered, so that
 * {@link #rejectUnknownKeys()} can name a misspelt key together with the keys that would be valid.
 */
public final class ConfigMap implements ConfigNode {

    private final String path;
    private final ConfigLocation location;
    private final Map<String, ConfigNode> entries;
    private final Map<String, ConfigLocation> keyLocations;
    private final Set<String> asked = new LinkedHashSet<>();

    public ConfigMap(String path, ConfigLocation location, Map<String, ConfigNode> entries,
                     Map<String, ConfigLocation> keyLocations) {
        this.path = Objects.requireNonNull(path, "path");
        this.location = Objects.requireNonNull(location, "location");
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public ConfigLocation location() {
        return location;
    }

    @Override
    public String kind() {
        return "a map";
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    /** The path a key of this map has: {@code groups[0].name}. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public Optional<ConfigNode> optional(String key) {
        asked.add(key);
        return Optional.ofNullable(entries.get(key));
    }

    public ConfigNode required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(location + " " + pathOf(key)
                + ": missing; " + (path.isEmpty() ? "the file" : path) + " needs a value for " + key));
    }

    public String string(String key) {
        return asString(required(key));
    }

    public Optional<String> optionalString(String key) {
        return optional(key).map(ConfigMap::asString);
    }

    /** A required integer within {@code [min, max]}; {@code rule} says what is valid, e.g. "is not a port (1-65535)". */
    public int integer(String key, int min, int max, String rule) {
        return asInteger(required(key), min, max, rule);
    }

    public OptionalInt optionalInteger(String key, int min, int max, String rule) {
        Optional<ConfigNode> node = optional(key);
        return node.isPresent() ? OptionalInt.of(asInteger(node.get(), min, max, rule)) : OptionalInt.empty();
    }

    public int integer(String key, int defaultValue, int min, int max, String rule) {
        return optionalInteger(key, min, max, rule).orElse(defaultValue);
    }

    public int port(String key) {
        return integer(key, 1, 65535, "is not a port (1-65535)");
    }

    /**
     * A required {@code host:port} ({@code [::1]:9092} for IPv6 literals), with the value's location in the error;
     * {@code minPort} as for {@link HostPort#parse(String, int)}.
     */
    public HostPort hostPort(String key, int minPort) {
        ConfigNode node = required(key);
        try {
            return HostPort.parse(asString(node), minPort);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    public ConfigMap map(String key) {
        return asMap(required(key));
    }

    public Optional<ConfigMap> optionalMap(String key) {
        return optional(key).map(ConfigMap::asMap);
    }

    public ConfigList list(String key) {
        ConfigNode node = required(key);
        if (node instanceof ConfigList list) {
            return list;
        }
        throw node.error("is " + node.kind() + "; expected a list");
    }

    /** Fails on the first key no reader asked for, naming the keys that are valid here. */
    public void rejectUnknownKeys() {
        for (Map.Entry<String, ConfigNode> entry : entries.entrySet()) {
            if (!asked.contains(entry.getKey())) {
                List<String> known = new ArrayList<>(asked);
                throw new ConfigException(keyLocations.get(entry.getKey()) + " " + pathOf(entry.getKey())
                        + ": unknown key; valid keys " + (path.isEmpty() ? "at the top level" : "in " + path)
                        + " are " + String.join(", ", known));
            }
        }
    }

    /** The location of a key (for errors about the key rather than its value). */
    public ConfigLocation keyLocation(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    static String asString(ConfigNode node) {
        if (node instanceof ConfigScalar scalar && (scalar.type() == ConfigScalar.Type.STRING
                || scalar.type() == ConfigScalar.Type.INTEGER || scalar.type() == ConfigScalar.Type.DECIMAL)) {
            if (scalar.text().isBlank()) {
                throw node.error("is empty; expected a non-empty string");
            }
            return scalar.text();
        }
        throw node.error("is " + node.kind() + "; expected a string");
    }

    static int asInteger(ConfigNode node, int min, int max, String rule) {
        if (node instanceof ConfigScalar scalar && scalar.type() == ConfigScalar.Type.INTEGER) {
            long value;
            try {
                value = Long.parseLong(scalar.text());
            } catch (NumberFormatException e) {
                throw node.error(scalar.text() + " " + rule);
            }
            if (value < min || value > max) {
                throw node.error(scalar.text() + " " + rule);
            }
            return (int) value;
        }
        if (node instanceof ConfigScalar scalar) {
            throw node.error(scalar.shown() + " is " + node.kind() + "; expected an integer");
        }
        throw node.error("is " + node.kind() + "; expected an integer");
    }

    static ConfigMap asMap(ConfigNode node) {
        if (node instanceof ConfigMap map) {
            return map;
        }
        throw node.error("is " + node.kind() + "; expected a map of keys");
    }
}
