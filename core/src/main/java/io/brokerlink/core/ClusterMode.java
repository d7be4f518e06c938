package io.brokerlink.core;

/** Whether {@code plan} writes complete broker configs or only the change to running ones. */
public enum ClusterMode {
    NEW, EXISTING;

    public static ClusterMode fromId(String value, String field) {
        return switch (value) {
            case "new" -> NEW;
            case "existing" -> EXISTING;
            default -> throw new SpecException(field, "\"" + value + "\" is not one of new, existing");
        };
    }
}
