package io.brokerlink.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A password, resolved once at start-up from where the configuration says it lives: {@code env:NAME} (an environment
 * variable), {@code file:PATH} (a file's content without its trailing line break, as secret mounts write it),
 * {@code literal:VALUE} or any other text (the value itself). {@link #toString()} names the source, never the value,
 * so a secret that ends up in a log line or an exception message gives nothing away.
 */
public final class Secret {

    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** A value given as is (command-line flags). */
    public static Secret literal(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value, "a literal value");
    }

    /**
     * Resolves {@code spec}.
     *
     * @throws IllegalArgumentException naming the variable or file when it is missing or empty (never the value)
     */
    public static Secret parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.startsWith("env:")) {
            String name = spec.substring(4);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("env: needs a variable name, e.g. env:GATEWAY_KEYSTORE_PASSWORD");
            }
            String value = System.getenv(name);
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + name + " is not set; export it before "
                        + "starting the gateway, or give the password as file:PATH");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("environment variable " + name + " is empty");
            }
            return new Secret(value, "env:" + name);
        }
        if (spec.startsWith("file:")) {
            String name = spec.substring(5);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("file: needs a path, e.g. file:/run/secrets/keystore-password");
            }
            Path file = Path.of(name);
            String content;
            try {
                content = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("file:" + name + ": no such file (" + file.toAbsolutePath() + ")");
            } catch (IOException e) {
                throw new IllegalArgumentException("file:" + name + ": cannot read (" + e.getClass().getSimpleName()
                        + ")");
            }
            String value = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                    : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            if (value.isEmpty()) {
                throw new IllegalArgumentException("file:" + name + ": is empty");
            }
            return new Secret(value, "file:" + name);
        }
        if (spec.startsWith("literal:")) {
            return new Secret(spec.substring(8), "a literal value");
        }
        return literal(spec);
    }

    /** The value; hand it only to the API that needs it. */
    public String value() {
        return value;
    }

    public char[] chars() {
        return value.toCharArray();
    }

    /** Where the value came from ({@code env:NAME}, {@code file:PATH}, {@code a literal value}). */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value) && s.source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, source);
    }

    @Override
    public String toString() {
        return "Secret(" + source + ")";
    }
}
