package io.brokerlink.gateway.tls;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The protocol versions and cipher suites this JVM offers, so that a misspelt or disabled name is a start-up error
 * naming it instead of a handshake failure with every client.
 */
public final class TlsProtocols {

    /** TLS 1.3 first; 1.2 stays on because many Kafka clients in the field still default to it. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsProtocols() {
    }

    /** {@code protocols} checked against what the JVM enables (TLSv1/1.1 are disabled by jdk.tls.disabledAlgorithms). */
    public static List<String> protocols(List<String> protocols, String field) {
        if (protocols == null || protocols.isEmpty()) {
            return DEFAULT_PROTOCOLS;
        }
        List<String> enabled = Arrays.asList(defaults().getProtocols());
        for (int i = 0; i < protocols.size(); i++) {
            String p = protocols.get(i);
            if (!enabled.contains(p)) {
                throw new TlsMaterialException(field + "[" + i + "]", "\"" + p + "\" is not a TLS protocol this JVM "
                        + "enables; use some of " + String.join(", ", enabled));
            }
        }
        return List.copyOf(protocols);
    }

    /** {@code ciphers} checked against the JVM's supported suites; empty means the JVM's default list. */
    public static List<String> ciphers(List<String> ciphers, String field) {
        if (ciphers == null || ciphers.isEmpty()) {
            return List.of();
        }
        Set<String> supported = new TreeSet<>(Arrays.asList(supported().getCipherSuites()));
        for (int i = 0; i < ciphers.size(); i++) {
            String c = ciphers.get(i);
            if (!supported.contains(c)) {
                throw new TlsMaterialException(field + "[" + i + "]", "\"" + c + "\" is not a cipher suite this JVM "
                        + "supports; use IANA names such as TLS_AES_128_GCM_SHA256 or "
                        + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (" + supported.size() + " supported, listed by "
                        + "java -Djavax.net.debug=ssl:handshake)");
            }
        }
        return List.copyOf(ciphers);
    }

    /** The JVM's default enabled cipher suites (what an unconfigured Java client or server offers). */
    public static List<String> defaultCiphers() {
        return List.of(defaults().getCipherSuites());
    }

    private static SSLParameters defaults() {
        return context().getDefaultSSLParameters();
    }

    private static SSLParameters supported() {
        return context().getSupportedSSLParameters();
    }

    private static SSLContext context() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }
}
