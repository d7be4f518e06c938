package io.brokerlink.sandbox;

/** The sandbox could not be laid out or started; the message names the input at fault and what would work. */
public final class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
