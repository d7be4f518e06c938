package io.brokerlink.gateway.limits;

/** The answer to a new client connection: admitted (release it when it closes) or refused by a limit. */
public sealed interface Admission {

    /** Counted against the limits until {@link #release()} (idempotent). */
    final class Admitted implements Admission {
        private final Runnable onRelease;
        private boolean released;

        Admitted(Runnable onRelease) {
            this.onRelease = onRelease;
        }

        public synchronized void release() {
            if (!released) {
                released = true;
                onRelease.run();
            }
        }
    }

    /** Refused: {@code limit} with value {@code value} was reached. */
    record Refused(Limit limit, int value) implements Admission {
    }
}
