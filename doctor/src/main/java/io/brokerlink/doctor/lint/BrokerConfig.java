package io.brokerlink.doctor.lint;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The listener-related view of one broker's {@code server.properties}: what lint needs, each value with its line.
 * Malformed values parse to empty or null; the linter reports them.
 */
public record BrokerConfig(
        PropertiesFile file,
        Integer nodeId,
        Set<String> roles,
        Map<String, ListenerAddress> listeners,
        Map<String, ListenerAddress> advertised,
        Map<String, String> protocolMap,
        String interBrokerListener,
        List<String> controllerListeners,
        String rack) {

    public static BrokerConfig of(PropertiesFile file) {
        Integer nodeId = file.get("node.id").map(e -> {
            try {
                return Integer.valueOf(e.value());
            } catch (NumberFormatException x) {
                return null;
            }
        }).orElse(null);
        Set<String> roles = file.get("process.roles").map(e -> splitList(e.value()).stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(LinkedHashSet::new)))
                .orElseGet(LinkedHashSet::new);
        Map<String, String> protocols = new LinkedHashMap<>();
        file.get("listener.security.protocol.map").ifPresent(e -> {
            for (String pair : splitList(e.value())) {
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    protocols.put(pair.substring(0, colon).strip().toUpperCase(Locale.ROOT),
                            pair.substring(colon + 1).strip());
                }
            }
        });
        return new BrokerConfig(file, nodeId, roles,
                ListenerAddress.parseList(file.get("listeners").map(PropertiesFile.Entry::value).orElse(null)),
                ListenerAddress.parseList(file.get("advertised.listeners").map(PropertiesFile.Entry::value).orElse(null)),
                protocols,
                file.get("inter.broker.listener.name").map(e -> e.value().toUpperCase(Locale.ROOT)).orElse(null),
                file.get("controller.listener.names").map(e -> splitList(e.value()).stream()
                        .map(s -> s.toUpperCase(Locale.ROOT)).toList()).orElse(List.of()),
                file.get("broker.rack").map(PropertiesFile.Entry::value).filter(s -> !s.isBlank()).orElse(null));
    }

    public String name() {
        return file.name();
    }

    /** The line of a key, or 0 (the file as a whole) when the key is absent. */
    public int line(String key) {
        return file.get(key).map(PropertiesFile.Entry::line).orElse(0);
    }

    /** The line of one listener's item inside {@code key}'s (possibly continued) value. */
    public int line(String key, String listener) {
        return file.get(key).map(e -> e.lineOf(listener + "://")).orElse(0);
    }

    public Optional<String> value(String key) {
        return file.get(key).map(PropertiesFile.Entry::value);
    }

    public boolean isController() {
        return roles.contains("controller");
    }

    public boolean isBroker() {
        return roles.isEmpty() || roles.contains("broker");
    }

    /**
     * Client-facing listener groups (EXTERNAL, EXTERNAL2, ...): every listener that is neither the inter-broker
     * nor a controller listener.
     */
    public Set<String> groups() {
        Set<String> out = new LinkedHashSet<>();
        out.addAll(listeners.keySet());
        out.addAll(advertised.keySet());
        out.remove(interBrokerListener);
        controllerListeners.forEach(out::remove);
        return out;
    }

    /** {@code b} + node id, or {@code b?} when node.id is missing. */
    public String brokerLabel() {
        return nodeId == null ? "b?" : "b" + nodeId;
    }

    static List<String> splitList(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
