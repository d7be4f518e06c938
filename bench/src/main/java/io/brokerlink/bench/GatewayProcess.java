package io.brokerlink.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway under test, running in a process of its own: a JVM, or another program ({@link GatewayTarget.Kind#PROGRAM}).
 * Closing it stops the process (gracefully, then by force).
 */
final class GatewayProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private GatewayProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** @param cpus empty: any CPU; else the CPU list the JVM runs on ({@code taskset -c}, which execs it: same pid) */
    static GatewayProcess start(String name, List<String> jvmOptions, String mainClass, List<String> args, Path log,
                                String cpus) throws IOException {
        ProcessBuilder builder = ChildJvm.builder(jvmOptions, mainClass, args, log);
        if (!cpus.isEmpty()) {
            builder.command().addAll(0, List.of("taskset", "-c", cpus));
        }
        return new GatewayProcess(name, ChildJvm.start(builder), log);
    }

    /**
     * A program that is not a JVM, e.g. {@code haproxy -db -f FILE}: run in the foreground (the pid must be the
     * process that forwards, for CPU placement and CPU time), output to {@code log}.
     *
     * @param cpus as for {@link #start}
     */
    static GatewayProcess startProgram(String name, List<String> command, Path log, String cpus) throws IOException {
        String program = command.get(0);
        boolean found = program.contains("/") ? java.nio.file.Files.isExecutable(Path.of(program))
                : java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .anyMatch(dir -> !dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, program)));
        if (!found) {
            throw new BenchException("target " + name + ": " + program + " is not an executable program here (PATH: "
                    + System.getenv("PATH") + "); install it (HAProxy: apt-get install haproxy) or leave the target "
                    + "out with --targets");
        }
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (!cpus.isEmpty()) {
            builder.command().addAll(0, List.of("taskset", "-c", cpus));
        }
        try {
            return new GatewayProcess(name, ChildJvm.start(builder), log);
        } catch (IOException e) {
            throw new BenchException("target " + name + ": cannot start " + String.join(" ", builder.command()) + ": "
                    + e.getMessage());
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU time the gateway process has used so far (user + system, all threads), from {@code /proc/PID/stat} in clock
     * ticks of 10 ms. The difference over a run is the gateway's cost for that run's bytes, a figure that does not
     * depend on how busy the rest of the machine is, unlike throughput.
     */
    long cpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name (which is in parentheses and may hold spaces): state is field 3.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            throw new BenchException("cannot read the CPU time of gateway " + name + " (pid " + process.pid()
                    + ") from /proc: " + e.getMessage());
        }
    }

    /**
     * CPU milliseconds the gateway's JIT compiler threads used so far (threads {@code C1/C2 CompilerThread*}, from
     * /proc/PID/task; 0 for a program that is not a JVM): compilation is a cost of a young JVM, not of the data path,
     * and it shows whether the warm-up was long enough. Threads that ended (the JVM retires idle compiler threads) are no longer counted, so a difference
     * may come out slightly low, never high.
     */
    long jitCpuMillis() {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended between the listing and the read
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BenchException("cannot read the threads of gateway " + name + " (pid " + process.pid()
                    + ") from /proc: " + e.getMessage());
        }
        return ticks * 10;
    }

    /** Waits until every address accepts a TCP connection (every listener bound), or fails naming the log. */
    void awaitListening(List<InetSocketAddress> addresses, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (InetSocketAddress address : addresses) {
            while (true) {
                if (!process.isAlive()) {
                    throw new BenchException("gateway " + name + " exited with " + process.exitValue()
                            + " before listening on " + address + "; see " + log);
                }
                try (Socket s = new Socket()) {
                    s.connect(address, 1000);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new BenchException("gateway " + name + " is not listening on " + address + " after "
                                + timeoutSeconds + " s; see " + log);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            process.destroy(); // SIGTERM: brokerlink gateway stops accepting, drains and exits
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
