package io.brokerlink.sandbox;

/**
 * The sandbox could not be laid out or started. {@link #field()} names the input at fault (for example
 * {@code external port} or {@code data dir}) so a command line can name its own option; the message says what
 * would work.
 */
public final class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public SandboxException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public SandboxException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field name. */
    public String detail() {
        return getMessage().substring(field.length() + 2);
    }
}
