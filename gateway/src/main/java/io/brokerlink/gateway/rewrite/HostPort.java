package io.brokerlink.gateway.rewrite;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/** A {@code host:port} pair as Kafka writes it; IPv6 literals in brackets. */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("host \"" + host + "\" is empty or contains spaces");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is not a port; use 0 to 65535");
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}; the message names the text and what would be valid. */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "address");
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT (e.g. 10.0.0.1:9092)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" has no numeric port; use HOST:PORT (e.g. 10.0.0.1:9092)");
        }
        return new HostPort(host, port);
    }

    /** Case-insensitive host comparison: Kafka host names are DNS names. */
    public boolean sameAs(String otherHost, int otherPort) {
        return port == otherPort && host.toLowerCase(Locale.ROOT).equals(otherHost.toLowerCase(Locale.ROOT));
    }

    public InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
