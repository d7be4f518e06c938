package io.brokerlink.bench;

/** A benchmark run that cannot go on: the message says what failed and where its log is. */
final class BenchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
