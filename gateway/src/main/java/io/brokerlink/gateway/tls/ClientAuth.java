package io.brokerlink.gateway.tls;

import java.util.Locale;

/** Whether a TLS listener asks clients for a certificate (mutual TLS). */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** Asked for and verified when sent; a client without one still connects. */
    REQUESTED,
    /** A client without a certificate the trust material accepts fails the handshake. */
    REQUIRED;

    public static ClientAuth parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "requested" -> REQUESTED;
            case "required" -> REQUIRED;
            default -> throw new IllegalArgumentException("\"" + text + "\" is not a client-auth mode; use none, "
                    + "requested or required");
        };
    }

    io.netty.handler.ssl.ClientAuth netty() {
        return switch (this) {
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
            case REQUESTED -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case REQUIRED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
        };
    }

    /** As written in the configuration. */
    public String yaml() {
        return name().toLowerCase(Locale.ROOT);
    }
}
