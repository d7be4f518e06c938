package io.brokerlink.doctor;

import java.util.Objects;

/**
 * One thing doctor found. {@code file} and {@code line} locate it for {@code lint} (line 0: the file as a whole);
 * {@code check} findings name the address instead and leave both empty.
 */
public record Finding(Severity severity, Code code, String file, int line, String subject, String message) {

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, was " + line);
        }
    }

    public static Finding at(Severity severity, Code code, String file, int line, String message) {
        return new Finding(severity, code, file, line, null, message);
    }

    public static Finding about(Severity severity, Code code, String subject, String message) {
        return new Finding(severity, code, null, 0, subject, message);
    }

    /** {@code file:line: error BL111: message}, the shape compilers use so editors can jump to it. */
    public String toHumanLine() {
        String where = file == null ? (subject == null ? "" : subject + ": ")
                : file + (line > 0 ? ":" + line : "") + ": ";
        return where + severity.label() + " " + code + ": " + message;
    }
}
