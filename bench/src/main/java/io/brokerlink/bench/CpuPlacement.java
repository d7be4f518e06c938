package io.brokerlink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Moves the run's processes between the {@link CpuShape}s of a {@link CpuSplit}: this JVM (the brokers; the tools'
 * JVMs it starts inherit its CPUs) and every gateway JVM, every thread of each ({@code taskset -a -p}). A thread that
 * a JVM starts while taskset walks its threads can inherit the old CPUs from a parent not moved yet, so each move is
 * checked against every thread's {@code Cpus_allowed_list} and repeated until it holds.
 */
final class CpuPlacement {

    private static final int ATTEMPTS = 3;

    private final CpuSplit split;
    /** This JVM: the brokers, and the parent of every tool JVM. */
    private final long harness = ProcessHandle.current().pid();
    /** Each gateway target's JVM by target name. */
    private final Map<String, Long> gateways = new LinkedHashMap<>();
    private CpuShape current;

    CpuPlacement(CpuSplit split) {
        this.split = split;
    }

    /** A gateway JVM, started on {@link CpuSplit#gateway()} already. */
    void addGateway(String name, long pid) {
        gateways.put(name, pid);
    }

    CpuShape current() {
        return current;
    }

    /** Puts every process where {@code shape} wants it; nothing to do when it is there already. */
    void place(CpuShape shape) throws IOException, InterruptedException {
        if (shape == current) {
            return;
        }
        boolean shared = shape == CpuShape.SHARED;
        pin("the harness with the brokers", harness, shared ? split.all() : split.rest());
        for (Map.Entry<String, Long> g : gateways.entrySet()) {
            pin("gateway " + g.getKey(), g.getValue(), shared ? split.all() : split.gateway());
        }
        current = shape;
        BenchMain.log("CPUs: " + (shape == CpuShape.SHARED ? "every process on CPU " + CpuSplit.list(split.all())
                : split.describe()));
    }

    private static void pin(String name, long pid, Set<Integer> cpus) throws IOException, InterruptedException {
        List<String> wrong = List.of();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            taskset(name, pid, CpuSplit.list(cpus));
            wrong = threadsNotOn(pid, cpus);
            if (wrong.isEmpty()) {
                return;
            }
        }
        throw new BenchException("could not move " + name + " (pid " + pid + ") to CPU " + CpuSplit.list(cpus)
                + ": after " + ATTEMPTS + " attempts these threads still run elsewhere: " + wrong);
    }

    private static void taskset(String name, long pid, String cpus) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BenchException("placing the processes on CPUs needs taskset, from util-linux (apt-get install "
                    + "util-linux), or --gateway-cpus none to share every CPU throughout: " + e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new BenchException("taskset could not move " + name + " (pid " + pid + ") to CPU " + cpus + " ("
                    + out + "); --gateway-cpus none runs with every process sharing every CPU");
        }
    }

    /** Threads of {@code pid} whose allowed CPUs differ from {@code cpus}, as {@code TID:LIST}; gone threads skipped. */
    static List<String> threadsNotOn(long pid, Set<Integer> cpus) throws IOException {
        List<String> wrong = new ArrayList<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        List<Path> threads;
        try (Stream<Path> list = Files.list(tasks)) {
            threads = list.toList();
        }
        for (Path thread : threads) {
            List<String> status;
            try {
                status = Files.readAllLines(thread.resolve("status"));
            } catch (IOException e) {
                continue; // the thread ended meanwhile (its /proc entry is gone or answers ESRCH)
            }
            for (String line : status) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    String allowed = line.substring(line.indexOf(':') + 1).trim();
                    if (!CpuSplit.cpuSet(allowed, thread + "/status").equals(cpus)) {
                        wrong.add(thread.getFileName() + ":" + allowed);
                    }
                }
            }
        }
        return wrong;
    }
}
