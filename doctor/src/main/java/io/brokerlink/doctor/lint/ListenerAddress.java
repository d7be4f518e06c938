package io.brokerlink.doctor.lint;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code NAME://host:port} item of {@code listeners} or {@code advertised.listeners}. {@code port} is -1 when the
 * port is not a number (a leftover {@code <port>}); {@code rawPort} keeps what was written.
 */
public record ListenerAddress(String name, String host, int port, String rawPort) {

    public String hostPort() {
        return host + ":" + rawPort;
    }

    /**
     * Parses a comma-separated listener list. Items that are not {@code NAME://HOST:PORT} are returned under their
     * raw text with host null, so the caller can report them.
     */
    public static Map<String, ListenerAddress> parseList(String value) {
        Map<String, ListenerAddress> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String raw : value.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            int sep = item.indexOf("://");
            if (sep <= 0) {
                out.put(item, new ListenerAddress(item, null, -1, ""));
                continue;
            }
            String name = item.substring(0, sep).toUpperCase(Locale.ROOT);
            String hostPort = item.substring(sep + 3);
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            String rawPort = colon < 0 ? "" : hostPort.substring(colon + 1);
            int port;
            try {
                port = Integer.parseInt(rawPort);
            } catch (NumberFormatException e) {
                port = -1;
            }
            out.put(name, new ListenerAddress(name, host, port, rawPort));
        }
        return out;
    }
}
