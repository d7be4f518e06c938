package io.brokerlink.core;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A {@code host:port} pair: a bind address or target in gateway configuration, a bootstrap address the user gave
 * the doctor, or an address a broker advertised. IPv6 literals are written in brackets ({@code [::1]:9092}); the
 * host is kept without them.
 */
public record HostPort(String host, int port) {

    /** Port 0 is valid here because a bind address may ask for any free port; parsers say which range they want. */
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
     * Parses {@code host:port} as written in configuration; {@code minPort} is 0 where "any free port" makes sense
     * (a bind address) and 1 where a real port is needed (a target). The message is meant to follow a field name.
     */
    public static HostPort parse(String text, int minPort) {
        Split split = Split.of(text);
        if (split == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT");
        }
        if (split.unbracketedIpv6()) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT (write IPv6 literals as [::1]:PORT)");
        }
        OptionalInt number = split.port();
        if (number.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT (the port is not a number)");
        }
        int port = number.getAsInt();
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\" has port " + port + ", which is not a port ("
                    + minPort + "-65535)");
        }
        return new HostPort(split.host(), port);
    }

    /**
     * Parses a {@code HOST:PORT} the user typed for an option (surrounding blanks allowed, port 1 to 65535);
     * {@code option} names it in the error, which shows an example of a valid value.
     */
    public static HostPort parse(String option, String text) {
        Split split = Split.of(text.strip());
        if (split == null || split.unbracketedIpv6()) {
            throw new IllegalArgumentException(option + " \"" + text + "\": expected HOST:PORT, e.g. "
                    + "bootstrap.abc.us-west-2.aws.plc.example.com:9092"
                    + (split == null ? "" : " (write IPv6 literals as [::1]:9092)"));
        }
        int port = split.port().orElse(-1);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + " \"" + text + "\": port \"" + split.portText()
                    + "\" is not a port; use 1 to 65535");
        }
        return new HostPort(split.host(), port);
    }

    /** Unresolved, so that every connect resolves the name again (hosts files and DNS may change). */
    public InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** The text on either side of the last colon, the host without IPv6 brackets. */
    private record Split(String host, String portText, boolean unbracketedIpv6) {

        /** Null when there is no colon with text on both sides ({@code []:9092} has no host either). */
        static Split of(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return null;
            }
            String host = text.substring(0, colon);
            String portText = text.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                return host.length() == 2 ? null : new Split(host.substring(1, host.length() - 1), portText, false);
            }
            return new Split(host, portText, host.contains(":"));
        }

        OptionalInt port() {
            try {
                return OptionalInt.of(Integer.parseInt(portText));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
    }
}
