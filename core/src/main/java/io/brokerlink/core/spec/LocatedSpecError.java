package io.brokerlink.core.spec;

import io.brokerlink.core.SpecException;

/** A {@link SpecException} whose line is already known (syntax errors, duplicate keys). */
final class LocatedSpecError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int line;
    final SpecException error;

    LocatedSpecError(int line, SpecException error) {
        super(error.getMessage());
        this.line = line;
        this.error = error;
    }
}
