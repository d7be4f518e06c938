package io.brokerlink.gateway.tls;

/**
 * TLS material that cannot be used, worded for the user. {@code field} is the configuration key at fault, relative to
 * its TLS section ({@code cert}, {@code key-password}, {@code protocols}...), so a reader can point at its line.
 */
public final class TlsMaterialException extends IllegalArgumentException {

    private final String field;

    public TlsMaterialException(String field, String message) {
        super(message);
        this.field = field;
    }

    public TlsMaterialException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The key at fault, e.g. {@code keystore-password}. */
    public String field() {
        return field;
    }
}
