package io.brokerlink.gateway.tls;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The keystore formats the gateway reads (both through {@link java.security.KeyStore}). */
public enum StoreType {
    PKCS12, JKS;

    /** The type a file name implies: {@code .p12}/{@code .pfx} PKCS12, {@code .jks} JKS, anything else none. */
    public static Optional<StoreType> fromFileName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return Optional.of(PKCS12);
        }
        if (name.endsWith(".jks")) {
            return Optional.of(JKS);
        }
        return Optional.empty();
    }

    /** {@code PKCS12} or {@code JKS}, any case; {@code IllegalArgumentException} otherwise. */
    public static StoreType parse(String text) {
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "PKCS12", "P12" -> PKCS12;
            case "JKS" -> JKS;
            default -> throw new IllegalArgumentException("\"" + text + "\" is not a keystore type; use PKCS12 or JKS");
        };
    }
}
