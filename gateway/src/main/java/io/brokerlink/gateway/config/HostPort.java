package io.brokerlink.gateway.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A {@code host:port} pair as written in configuration ({@code [::1]:9092} for IPv6 literals). */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(port + " is not a port (0-65535)");
        }
    }

    /**
     * Parses {@code host:port}; {@code minPort} is 0 where "any free port" makes sense (a bind address) and 1
     * where a real port is needed (a target).
     */
    public static HostPort parse(String text, int minPort) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT (write IPv6 literals as [::1]:PORT)");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT (the port is not a number)");
        }
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\" has port " + port + ", which is not a port ("
                    + minPort + "-65535)");
        }
        return new HostPort(host, port);
    }

    /** Reads a {@code host:port} value of a config map, with the value's location in the error. */
    public static HostPort read(ConfigMap map, String key, int minPort) {
        ConfigNode node = map.required(key);
        String text = ConfigMap.asString(node);
        try {
            return parse(text, minPort);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** Unresolved, so that every connect resolves the name again (hosts files and DNS may change). */
    public InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
