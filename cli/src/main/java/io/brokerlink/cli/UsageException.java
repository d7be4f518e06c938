package io.brokerlink.cli;

/**
 * Wrong input found while a command runs (a port in use, an unwritable directory): reported like a bad option,
 * as one line with exit code 2.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
