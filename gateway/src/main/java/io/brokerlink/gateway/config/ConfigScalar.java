package io.brokerlink.gateway.config;

import java.util.Objects;

/** A single YAML value. {@code type} records what YAML made of it (a quoted "9092" is a string, not a number). */
public record ConfigScalar(String path, ConfigLocation location, Type type, String text) implements ConfigNode {

    /** The YAML types a scalar can have. */
    public enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    public ConfigScalar {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String kind() {
        return switch (type) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case DECIMAL -> "a decimal number";
            case BOOLEAN -> "a boolean";
            case NULL -> "empty";
        };
    }

    /** The value as the user wrote it, quoted when it is a string: used in error messages. */
    public String shown() {
        return type == Type.STRING ? "\"" + text + "\"" : text;
    }
}
