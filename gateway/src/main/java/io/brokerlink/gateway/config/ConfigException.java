package io.brokerlink.gateway.config;

/** A configuration error, already worded for the user: {@code gateway.yaml:7:20 groups[0].name: ...}. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
