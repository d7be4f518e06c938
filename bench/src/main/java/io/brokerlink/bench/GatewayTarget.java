package io.brokerlink.bench;

import java.util.List;
import java.util.Objects;

/**
 * One line of {@code bench/targets.conf}: a gateway to measure against direct access.
 *
 * <ul>
 *   <li>{@code NAME = yaml FILE}: the gateway's YAML configuration (FILE relative to the targets file), run as
 *       {@code brokerlink gateway --config FILE} in its own JVM;</li>
 *   <li>{@code NAME = cli ARGS...}: {@code brokerlink ARGS...} (the CLI's main class) in its own JVM, e.g. the
 *       kafka-proxy style flags of rewrite mode;</li>
 *   <li>{@code NAME = program portmap|rewrite TEMPLATE COMMAND ARGS...}: another program, not a JVM (HAProxy, say),
 *       with TEMPLATE (relative to the targets file) filled in and written to the run directory, its path in
 *       {@code ${config}} of the arguments. {@code portmap}: it forwards each broker port's bytes untouched, so its
 *       clients follow the names the brokers advertise; {@code rewrite}: it advertises {@code ${advertised.host.N}}
 *       itself.</li>
 * </ul>
 *
 * JVM options of the gateway's JVM may follow the kind, before the file or arguments ({@code NAME = yaml
 * -Dbrokerlink.transport=nio portmap.yaml}): a comparison of one setting is then one more line.
 *
 * Files and arguments are templates: {@code ${listen.address}}, {@code ${listen.port.N}} (N = node id),
 * {@code ${bootstrap.port}}, {@code ${advertised.host.N}}, {@code ${broker.N.external}}, {@code ${broker.N.internal}},
 * {@code ${upstream.internal}} and {@code ${upstream.external}} are filled in at run time, and a program's arguments
 * may name its filled-in template as {@code ${config}}.
 */
record GatewayTarget(String name, Kind kind, List<String> jvmOptions, List<String> arguments) {

    enum Kind { YAML, CLI, PROGRAM }

    /** How a {@link Kind#PROGRAM} target's clients find the brokers. */
    enum Addressing {
        /** Bytes pass untouched: clients use the names and ports the brokers advertise, led to this target. */
        PORTMAP,
        /** It answers with {@code ${advertised.host.N}:${listen.port.N}} itself, as rewrite mode does. */
        REWRITE
    }

    GatewayTarget {
        Objects.requireNonNull(kind, "kind");
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("target name \"" + name
                    + "\" must be lower-case letters, digits and dashes, starting with a letter");
        }
        if ("direct".equals(name)) {
            throw new IllegalArgumentException("target name \"direct\" is the baseline, always measured; "
                    + "name the gateway something else");
        }
        if (kind == Kind.YAML && arguments.size() != 1) {
            throw new IllegalArgumentException("target " + name + ": yaml takes one file name, got " + arguments);
        }
        if (kind == Kind.CLI && arguments.isEmpty()) {
            throw new IllegalArgumentException("target " + name + ": cli needs the brokerlink arguments");
        }
        if (kind == Kind.PROGRAM) {
            if (!jvmOptions.isEmpty()) {
                throw new IllegalArgumentException("target " + name + ": a program is not a JVM; JVM options "
                        + jvmOptions + " belong to yaml or cli targets");
            }
            if (arguments.size() < 3 || !List.of("portmap", "rewrite").contains(arguments.get(0))) {
                throw new IllegalArgumentException("target " + name + ": write program portmap|rewrite TEMPLATE "
                        + "COMMAND ARGS... (portmap: it forwards bytes untouched; rewrite: it advertises its own "
                        + "names), got " + arguments);
            }
        }
    }

    /** A {@link Kind#PROGRAM} target's addressing. */
    Addressing addressing() {
        requireProgram();
        return Addressing.valueOf(arguments.get(0).toUpperCase(java.util.Locale.ROOT));
    }

    /** A {@link Kind#PROGRAM} target's configuration template, relative to the targets file. */
    String template() {
        requireProgram();
        return arguments.get(1);
    }

    /** A {@link Kind#PROGRAM} target's command line, placeholders not filled in yet. */
    List<String> command() {
        requireProgram();
        return arguments.subList(2, arguments.size());
    }

    private void requireProgram() {
        if (kind != Kind.PROGRAM) {
            throw new IllegalStateException("target " + name + " is " + kind + ", not a program");
        }
    }

    /** Parses one target line (see the class comment); {@code where} names the line in errors. */
    static GatewayTarget parse(String line, String where) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw new BenchException(where + ": \"" + line + "\" is not NAME = yaml FILE, NAME = cli ARGS... or "
                    + "NAME = program portmap|rewrite TEMPLATE COMMAND ARGS...");
        }
        String name = line.substring(0, eq).trim();
        List<String> words = Words.split(line.substring(eq + 1).trim(), where);
        if (words.isEmpty()) {
            throw new BenchException(where + ": target " + name + " has no kind; use yaml FILE, cli ARGS... or "
                    + "program portmap|rewrite TEMPLATE COMMAND ARGS...");
        }
        Kind kind = switch (words.get(0)) {
            case "yaml" -> Kind.YAML;
            case "cli" -> Kind.CLI;
            case "program" -> Kind.PROGRAM;
            default -> throw new BenchException(where + ": \"" + words.get(0)
                    + "\" is not a target kind; use yaml, cli or program");
        };
        int first = 1;
        while (first < words.size() && words.get(first).startsWith("-") && !words.get(first).startsWith("--")) {
            first++;
        }
        try {
            return new GatewayTarget(name, kind, words.subList(1, first), words.subList(first, words.size()));
        } catch (IllegalArgumentException e) {
            throw new BenchException(where + ": " + e.getMessage());
        }
    }
}
