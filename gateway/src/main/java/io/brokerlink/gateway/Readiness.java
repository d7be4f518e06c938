package io.brokerlink.gateway;

import java.util.Objects;

/** Whether a gateway should receive traffic; /readyz answers 200 for {@link Ready}, 503 with the reason otherwise. */
public sealed interface Readiness permits Readiness.Ready, Readiness.NotReady {

    Readiness READY = new Ready();

    static Readiness notReady(String reason) {
        return new NotReady(reason);
    }

    default boolean isReady() {
        return this instanceof Ready;
    }

    /** Every listener is bound and the mode's own condition holds (portmap: every broker's health is known). */
    record Ready() implements Readiness {
    }

    record NotReady(String reason) implements Readiness {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
