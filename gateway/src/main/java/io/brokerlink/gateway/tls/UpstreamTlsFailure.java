package io.brokerlink.gateway.tls;

import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;

/** Turns a failed TLS handshake with a broker into the sentence an operator needs. */
public final class UpstreamTlsFailure {

    private UpstreamTlsFailure() {
    }

    /**
     * What went wrong, as {@code <who> at <address> <reason>}: for example
     * {@code broker 2 at b2.internal:9093 did not answer TLS: its listener is probably PLAINTEXT}.
     *
     * @param who     {@code broker 2}, or {@code broker} when the node id is not known
     * @param address the host:port the gateway dialled
     */
    public static String describe(String who, String address, Throwable cause) {
        String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
        if (find(cause, NotSslRecordException.class) != null || closedDuringHandshake(cause)) {
            return who + " at " + address + " did not answer TLS: its listener is probably PLAINTEXT";
        }
        CertificateException cert = find(cause, CertificateException.class);
        String root = rootMessage(cause);
        if (cert != null && (root.contains("No subject alternative") || root.contains("No name matching"))) {
            return who + " at " + address + " presented a certificate that does not name " + host + " (" + root
                    + "): add " + host + " to the broker certificate's subject alternative names, dial a name it has, "
                    + "or set upstream-tls.hostname-verification: false";
        }
        if (root.contains("PKIX path") || root.contains("unable to find valid certification path")) {
            return who + " at " + address + " presented a certificate no trusted CA signed (" + root
                    + "): give its CA in upstream-tls.ca or upstream-tls.truststore";
        }
        return who + " at " + address + ": TLS handshake failed: " + root;
    }

    /** The innermost message of a cause chain (TLS exceptions wrap the one that says what happened). */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message;
    }

    /** The first throwable of {@code type} in the cause chain, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** A PLAINTEXT Kafka listener reads the ClientHello as an oversized frame and closes without a byte of TLS. */
    private static boolean closedDuringHandshake(Throwable cause) {
        if (find(cause, ClosedChannelException.class) != null) {
            return true;
        }
        String root = rootMessage(cause).toLowerCase(Locale.ROOT);
        return root.contains("ssl/tls handshake was in progress") || root.contains("connection reset");
    }
}
