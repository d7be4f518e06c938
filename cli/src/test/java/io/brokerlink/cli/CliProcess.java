package io.brokerlink.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged distribution ({@code target/brokerlink-cli.jar} + {@code target/lib}) run as a real process, the way
 * the {@code ./brokerlink} launcher runs it: real exit codes, real signals, real ports.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    private final List<Thread> pumps;

    private CliProcess(Process process) {
        this.process = process;
        this.pumps = List.of(pump(process.getInputStream(), out), pump(process.getErrorStream(), err));
    }

    static CliProcess start(String... args) throws IOException {
        Path jar = Path.of("target", "brokerlink-cli.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with mvn verify (package comes first)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + System.getProperty("brokerlink.test.hosts.file"),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(command).start());
    }

    /** Runs to completion (at most the timeout) and returns the exit code. */
    static CliProcess run(Duration timeout, String... args) throws Exception {
        CliProcess p = start(args);
        if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.close();
            throw new AssertionError("brokerlink " + String.join(" ", args) + " did not finish within " + timeout);
        }
        p.drained();
        return p;
    }

    private static Thread pump(java.io.InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "cli-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** After exit: waits until both pumps have read every line up to end of stream. */
    private void drained() throws InterruptedException {
        for (Thread pump : pumps) {
            pump.join(10_000);
        }
    }

    /** Waits for an output line matching the predicate; fails with the output so far. */
    String awaitLine(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : out) {
                if (matching.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such line within " + timeout + "; stdout=" + out + " stderr=" + err);
    }

    /** Sends SIGTERM and waits for exit; returns the seconds it took. */
    double terminate(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        // Through the handle: Process.destroy() would also close our ends of the pipes and lose the last lines.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not stop within " + timeout + " after SIGTERM; stderr=" + err);
        }
        drained();
        return (System.nanoTime() - start) / 1e9;
    }

    /** SIGKILL: no shutdown hook runs; only the kernel cleans up. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
        drained();
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdout() {
        return out;
    }

    List<String> stderr() {
        return err;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
