package io.brokerlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap of another JVM after a full collection, read with {@code jcmd} (works for any gateway process, whatever its
 * main class), and its resident set size from {@code /proc} (heap plus Netty's direct buffers, stacks, code).
 */
final class HeapProbe {

    /**
     * G1 on JDK 17: {@code garbage-first heap   total 262144K, used 11873K}; on JDK 21+:
     * {@code garbage-first heap   total reserved 524288K, committed 34816K, used 9569K}.
     */
    private static final Pattern USED = Pattern.compile("heap\\s+total\\s+(?:reserved\\s+\\d+K,\\s+committed\\s+)?"
            + "(\\d+)K,\\s+used\\s+(\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    record Reading(double heapUsedMiB, double heapCommittedMiB, double rssMiB) {
    }

    private HeapProbe() {
    }

    static Reading afterFullGc(long pid, Path workDir) throws IOException, InterruptedException {
        jcmd(pid, "GC.run", workDir);
        String info = jcmd(pid, "GC.heap_info", workDir);
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new BenchException("jcmd " + pid + " GC.heap_info printed no heap total/used line:\n" + info);
        }
        double committed = Long.parseLong(m.group(1)) / 1024.0;
        double used = Long.parseLong(m.group(2)) / 1024.0;
        double rss = Double.NaN;
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (Files.isReadable(status)) {
            Matcher r = RSS.matcher(Files.readString(status));
            if (r.find()) {
                rss = Long.parseLong(r.group(1)) / 1024.0;
            }
        }
        return new Reading(used, committed, rss);
    }

    private static String jcmd(long pid, String command, Path workDir) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path log = workDir.resolve("jcmd-" + pid + "-" + command + ".txt");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new BenchException("jcmd " + pid + " " + command + " failed; see " + log);
        }
        return Files.readString(log);
    }
}
