package io.brokerlink.core.spec;

/**
 * A spec that was refused, with the one-line message a user sees:
 * {@code spec.yaml:14 brokers[1].zone: "usw2-az4" is not one of the zones (usw2-az1, usw2-az2, usw2-az3)}.
 */
public final class InvalidSpecException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String field;
    private final String problem;

    public InvalidSpecException(String source, int line, String field, String problem) {
        super(source + ":" + line + " " + (field.isEmpty() ? "" : field + ": ") + problem);
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
