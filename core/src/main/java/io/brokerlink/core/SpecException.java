package io.brokerlink.core;

/**
 * A deployment spec that cannot be accepted. {@link #field()} is the path of the offending field
 * ({@code brokers[1].zone}); objects deeper in the model throw with a path relative to themselves and the reader
 * prefixes it, so the final message names the field exactly as it is written in the spec.
 */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public SpecException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** The same problem seen from the enclosing object, e.g. {@code zone} inside {@code brokers[1]}. */
    public SpecException under(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        String path = field.isEmpty() ? prefix : field.startsWith("[") ? prefix + field : prefix + "." + field;
        return new SpecException(path, problem);
    }

    static void require(boolean condition, String field, String problem) {
        if (!condition) {
            throw new SpecException(field, problem);
        }
    }

    static int port(int value, String field) {
        require(value >= 1 && value <= 65535, field, value + " is not a TCP port (1-65535)");
        return value;
    }
}
