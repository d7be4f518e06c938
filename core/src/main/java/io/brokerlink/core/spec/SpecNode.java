package io.brokerlink.core.spec;

import io.brokerlink.core.SpecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A mapping of the spec being bound: hands out typed values by key, records each key's line for later errors and
 * refuses keys it was never asked for ({@link #finish()}), which is what makes the reader strict.
 */
final class SpecNode {

    private final String path;
    private final YamlNode.Mapping mapping;
    private final Map<String, Integer> lines;
    private final Set<String> known = new HashSet<>();
    private final List<String> order = new ArrayList<>();

    private SpecNode(String path, YamlNode.Mapping mapping, Map<String, Integer> lines) {
        this.path = path;
        this.mapping = mapping;
        this.lines = lines;
        lines.putIfAbsent(path, mapping.line());
        mapping.keyLines().forEach((key, line) -> lines.put(child(key), line));
    }

    static SpecNode of(String path, YamlNode node, Map<String, Integer> lines) {
        if (node instanceof YamlNode.Mapping m) {
            return new SpecNode(path, m, lines);
        }
        lines.putIfAbsent(path, node.line());
        throw new SpecException(path, "expected a mapping (key: value lines), got " + node.kind());
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Optional<YamlNode> lookup(String key) {
        known.add(key);
        order.add(key);
        YamlNode value = mapping.entries().get(key);
        if (value instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.NULL) {
            return Optional.empty();
        }
        return Optional.ofNullable(value);
    }

    boolean has(String key) {
        return lookup(key).isPresent();
    }

    YamlNode required(String key, String hint) {
        return lookup(key).orElseThrow(() -> new SpecException(child(key), "missing; " + hint));
    }

    Optional<YamlNode> optional(String key) {
        return lookup(key);
    }

    String string(String key, String hint) {
        return text(required(key, hint), child(key));
    }

    Optional<String> optionalString(String key) {
        return lookup(key).map(v -> text(v, child(key)));
    }

    int integer(String key, String hint) {
        return integer(required(key, hint), child(key));
    }

    OptionalInt optionalInteger(String key) {
        Optional<YamlNode> value = lookup(key);
        return value.isEmpty() ? OptionalInt.empty() : OptionalInt.of(integer(value.get(), child(key)));
    }

    boolean bool(String key, boolean byDefault) {
        Optional<YamlNode> value = lookup(key);
        if (value.isEmpty()) {
            return byDefault;
        }
        if (value.get() instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
            return Boolean.parseBoolean(s.text());
        }
        throw new SpecException(child(key), "expected true or false, got " + value.get().kind());
    }

    List<YamlNode> list(String key, String hint) {
        return list(required(key, hint), child(key));
    }

    SpecNode mapping(String key) {
        Optional<YamlNode> value = lookup(key);
        return of(child(key), value.orElse(new YamlNode.Mapping(new java.util.LinkedHashMap<>(),
                new java.util.LinkedHashMap<>(), mapping.line())), lines);
    }

    /** Raw entries of a mapping whose keys are data (zone ids, node ids), not field names. */
    Map<String, YamlNode> entries() {
        mapping.entries().keySet().forEach(known::add);
        return mapping.entries();
    }

    void finish() {
        for (String key : mapping.entries().keySet()) {
            if (!known.contains(key)) {
                throw new SpecException(child(key), "unknown key; valid keys here are " + String.join(", ", order));
            }
        }
    }

    static String text(YamlNode node, String field) {
        if (node instanceof YamlNode.Scalar s && s.type() != YamlNode.Scalar.Type.NULL) {
            return s.text();
        }
        throw new SpecException(field, "expected a text value, got " + node.kind());
    }

    static int integer(YamlNode node, String field) {
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.INTEGER) {
            try {
                return Integer.parseInt(s.text());
            } catch (NumberFormatException e) {
                throw new SpecException(field, s.text() + " is too large for a port or id");
            }
        }
        throw new SpecException(field, "expected a whole number, got " + node.kind());
    }

    static List<YamlNode> list(YamlNode node, String field) {
        if (node instanceof YamlNode.Sequence seq) {
            return seq.items();
        }
        throw new SpecException(field, "expected a list, got " + node.kind());
    }
}
