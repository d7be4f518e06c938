package io.brokerlink.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on the harness's own class path. Tools and gateways run in JVMs of their own so that one's garbage
 * collection and JIT never pause another, as on a real deployment.
 */
final class ChildJvm {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Every child still running: an interrupted run (Ctrl-C) must not leave gateways or tools behind. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "bench-children-stop"));
    }

    private ChildJvm() {
    }

    /** {@code java OPTIONS -cp CLASSPATH MAIN ARGS}, with output to {@code log} (stdout and stderr together). */
    static ProcessBuilder builder(List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.add("-Duser.language=en");
        command.add("-Duser.country=US");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb;
    }

    /** Starts a child and tracks it until it exits, so that a shutdown of the harness stops it too. */
    static Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return p;
    }

    /** Runs to completion and returns the output; a non-zero exit or a timeout is an error naming the log. */
    static String run(List<String> jvmOptions, String mainClass, List<String> args, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = start(builder(jvmOptions, mainClass, args, log));
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new BenchException(mainClass + " did not finish within " + timeoutSeconds + " s; see " + log);
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new BenchException(mainClass + " exited with " + p.exitValue() + "; see " + log + "\n" + tail(out));
        }
        return out;
    }

    static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }

    static String classPathSeparator() {
        return File.pathSeparator;
    }
}
