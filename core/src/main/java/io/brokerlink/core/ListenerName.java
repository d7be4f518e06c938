package io.brokerlink.core;

import java.util.regex.Pattern;

/** A Kafka listener name (INTERNAL, CONTROLLER, EXTERNAL2): what {@code listeners} and the protocol map key on. */
public record ListenerName(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    public ListenerName {
        SpecException.require(value != null && VALID.matcher(value).matches(), "",
                "\"" + value + "\" is not a listener name (upper-case letters, digits and _, starting with a letter,"
                        + " e.g. EXTERNAL2)");
    }

    /** Lower-case form for file and resource names ({@code external2}). */
    public String slug() {
        return value.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return value;
    }
}
