package io.brokerlink.doctor.check;

/** A {@code HOST:PORT} the user gave (a bootstrap address) or a broker advertised. */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a port; use 1 to 65535");
        }
    }

    /** Parses {@code HOST:PORT} or {@code [IPv6]:PORT}; {@code what} names the option in the error. */
    public static HostPort parse(String what, String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException(what + " \"" + text + "\": expected HOST:PORT, e.g. "
                    + "bootstrap.abc.us-west-2.aws.plc.example.com:9092");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " \"" + text + "\": port \"" + t.substring(colon + 1)
                    + "\" is not a port; use 1 to 65535");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
