package io.brokerlink.gateway.config;

/**
 * One value of a parsed configuration file with its location and its path from the root
 * ({@code groups[0].brokers[1].listen-port}), so that every error can point at the exact value.
 */
public sealed interface ConfigNode permits ConfigMap, ConfigList, ConfigScalar {

    ConfigLocation location();

    /** The field path from the root; empty for the root itself. */
    String path();

    /** What kind of value this is, as a user would call it ("a map", "a list", "a number"...). */
    String kind();

    /** An error about this value, worded {@code file:line:col path: message}. */
    default ConfigException error(String message) {
        String where = location().toString();
        return new ConfigException(path().isEmpty() ? where + " " + message : where + " " + path() + ": " + message);
    }
}
