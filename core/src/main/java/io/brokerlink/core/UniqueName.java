package io.brokerlink.core;

import java.util.regex.Pattern;

/**
 * The consumer side's unique string, e.g. Alibaba Cloud's {@code unique_name} known only after the consumer
 * attaches a domain. The consumer side only ever issues lower-case letters and digits.
 */
public record UniqueName(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9]{1,63}");

    public UniqueName {
        SpecException.require(value != null && VALID.matcher(value).matches(), "",
                "\"" + value + "\" must be 1-63 lower-case letters and digits, e.g. abc123");
    }
}
