package io.brokerlink.plan;

/** A plan that cannot be made from otherwise valid input (a --current file that contradicts the spec). */
public final class PlanException extends Exception {

    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
