package io.brokerlink.core;

import java.util.Objects;

/**
 * The advertised-listener pattern a consumer side hands out, for example
 * {@code <broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>}.
 *
 * <p>{@code <broker_id>} becomes {@code b} + the broker's {@code node.id}; {@code <az_id>} (optional) the broker's
 * zone; {@code <port>} the broker's unique advertised port. A pattern without {@code <broker_id>} or {@code <port>}
 * cannot be constructed, because every broker would then advertise the same address.
 */
public record AdvertisedPattern(String text) {

    public static final String BROKER_ID = "<broker_id>";
    public static final String AZ_ID = "<az_id>";
    public static final String PORT = "<port>";
    /** Alibaba Cloud's placeholder, replaced in a second round once the consumer has attached its domain. */
    public static final String UNIQUE_NAME = "unique_name";

    /** The reference scenario's pattern (neutral domain), used by the sandbox, the demo and the docs. */
    public static final AdvertisedPattern REFERENCE =
            new AdvertisedPattern("<broker_id>.<az_id>.abc.us-west-2.aws.plc.example.com:<port>");

    public AdvertisedPattern {
        Objects.requireNonNull(text, "pattern");
        if (!text.contains(BROKER_ID)) {
            throw new IllegalArgumentException("pattern \"" + text + "\" has no " + BROKER_ID
                    + " placeholder; every broker must advertise its own name, e.g. "
                    + REFERENCE.text());
        }
        if (!text.endsWith(":" + PORT)) {
            throw new IllegalArgumentException("pattern \"" + text + "\" must end with :" + PORT
                    + " so that every broker advertises its own port, e.g. " + REFERENCE.text());
        }
        String host = text.substring(0, text.length() - PORT.length() - 1);
        if (host.isBlank() || host.contains(":") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("pattern \"" + text
                    + "\" must be HOST:<port> with a host name made of labels, e.g. " + REFERENCE.text());
        }
    }

    /** True while the pattern still carries Alibaba Cloud's {@code unique_name} label. */
    public boolean hasUniqueName() {
        return java.util.Arrays.asList(text.split("[.:]")).contains(UNIQUE_NAME);
    }

    /** The pattern of the second round: the {@code unique_name} label replaced by the consumer's value. */
    public AdvertisedPattern withUniqueName(UniqueName uniqueName) {
        StringBuilder out = new StringBuilder();
        String[] labels = text.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            out.append(i == 0 ? "" : ".").append(labels[i].equals(UNIQUE_NAME) ? uniqueName.value() : labels[i]);
        }
        return new AdvertisedPattern(out.toString());
    }

    /** The host part's labels, for checks such as "this AWS pattern names another AZ". */
    public java.util.List<String> hostLabels() {
        return java.util.List.of(text.substring(0, text.length() - PORT.length() - 1).split("\\."));
    }

    public boolean hasZone() {
        return text.contains(AZ_ID);
    }

    /** The advertised host of one broker: placeholders replaced, without the port. */
    public String host(int nodeId, String zone) {
        String host = text.substring(0, text.length() - PORT.length() - 1).replace(BROKER_ID, brokerLabel(nodeId));
        if (hasZone()) {
            if (zone == null || zone.isBlank()) {
                throw new IllegalArgumentException("pattern \"" + text + "\" contains " + AZ_ID
                        + " but broker " + nodeId + " has no zone");
            }
            host = host.replace(AZ_ID, zone);
        }
        return host;
    }

    /** {@code b} + node id: the seeds' rule for {@code <broker_id>}. */
    public static String brokerLabel(int nodeId) {
        return "b" + nodeId;
    }

    @Override
    public String toString() {
        return text;
    }
}
