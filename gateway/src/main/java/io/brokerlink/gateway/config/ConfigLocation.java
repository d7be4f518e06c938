package io.brokerlink.gateway.config;

import java.util.Objects;

/** Where a value stands in a configuration file; printed as {@code file:line:column}. */
public record ConfigLocation(String source, int line, int column) {

    public ConfigLocation {
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
