package io.brokerlink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lines each latency slice of a run up with the pauses of the three JVMs that could have stalled it: the brokers'
 * (the harness JVM, {@code brokers-gc.log}), the slice's gateway's ({@code gateway-NAME-jvm.log}) and the probe's own
 * ({@code rN-latency-jvm.log}). A 2 s slice's p99 is made by its slowest 20 ms of records, so one pause of a few
 * milliseconds anywhere on the path sets it; this report says, per target, how many slices had such a pause and what
 * their p99 was against the slices that had none. Run on a finished run directory:
 * {@code java -cp bench/target/brokerlink-bench.jar:bench/target/lib/* io.brokerlink.bench.PauseReport DIR}.
 */
final class PauseReport {

    /** A pause shorter than this is not counted: below the resolution that matters for a p99 of milliseconds. */
    static final Duration COUNTED = Duration.ofMillis(1);

    /** A stop of one JVM. {@code jvm}: {@code brokers}, {@code gateway NAME} or {@code probe rN}. */
    record Pause(String jvm, Instant start, Duration length) {
        Instant end() {
            return start.plus(length);
        }

        boolean overlaps(Window w) {
            return start.isBefore(w.end()) && end().isAfter(w.start());
        }
    }

    /** One latency slice: where and when it ran, and its p99. */
    record Window(String round, String target, int slice, Instant start, Instant end, double p99Ms) {
    }

    private static final Pattern BROKER_GC = Pattern.compile(
            "^(\\S+) gc=\"([^\"]+)\" action=\"[^\"]*\" cause=\"[^\"]*\" duration-ms=(\\d+)");
    private static final Pattern SAFEPOINT = Pattern.compile(
            "^\\[([^\\]]+)\\]\\[\\d+ms\\]\\[safepoint\\s*\\] Safepoint \"[^\"]+\".*Total: (\\d+) ns");
    private static final DateTimeFormatter XLOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final Pattern WINDOW = Pattern.compile(
            "^latency-slice-window target=(\\S+) slice=(\\d+) start=(\\S+) end=(\\S+)");
    private static final Pattern SLICE_P99 = Pattern.compile("^latency-slice target=(\\S+) slice=(\\d+) .*p99-us=(\\d+)");
    private static final Pattern LATENCY_LOG = Pattern.compile("(r\\d+)-latency\\.log");

    private PauseReport() {
    }

    /**
     * The brokers' pauses from {@link GcPauseLog}'s file: collections that stop the JVM (G1's young and mixed
     * collections, ZGC's pauses), not the concurrent cycles it also reports.
     */
    static List<Pause> brokerPauses(Path file) throws IOException {
        List<Pause> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = BROKER_GC.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            String collector = m.group(2);
            if (collector.contains("Concurrent") || collector.contains("Cycles")) {
                continue;
            }
            out.add(new Pause("brokers", instant(m.group(1), file, i), Duration.ofMillis(Long.parseLong(m.group(3)))));
        }
        return out;
    }

    /** Every safepoint of a JVM from its {@code -Xlog:safepoint} file (logged when it ends, with its total length). */
    static List<Pause> safepoints(Path file, String jvm) throws IOException {
        List<Pause> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = SAFEPOINT.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            Instant end;
            try {
                end = OffsetDateTime.parse(m.group(1), XLOG_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new BenchException(file + ":" + (i + 1) + ": \"" + m.group(1) + "\" is not an -Xlog utctime");
            }
            Duration length = Duration.ofNanos(Long.parseLong(m.group(2)));
            out.add(new Pause(jvm, end.minus(length), length));
        }
        return out;
    }

    /** The slices of one round's probe log, each with its window and its p99. */
    static List<Window> windows(Path latencyLog, String round) throws IOException {
        List<Window> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(latencyLog);
        Matcher open = null;
        int openLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher w = WINDOW.matcher(line);
            if (w.find()) {
                open = w;
                openLine = i;
                continue;
            }
            Matcher s = SLICE_P99.matcher(line);
            if (s.find() && open != null) {
                if (!s.group(1).equals(open.group(1)) || !s.group(2).equals(open.group(2))) {
                    throw new BenchException(latencyLog + ":" + (i + 1) + ": slice " + s.group(1) + "/" + s.group(2)
                            + " follows the window of " + open.group(1) + "/" + open.group(2));
                }
                out.add(new Window(round, s.group(1), Integer.parseInt(s.group(2)),
                        instant(open.group(3), latencyLog, openLine), instant(open.group(4), latencyLog, openLine),
                        Long.parseLong(s.group(3)) / 1000.0));
                open = null;
            }
        }
        return out;
    }

    /** The report of a run directory as a Markdown section; says so when the run has no pause logs. */
    static String report(Path runDir, List<String> targets) throws IOException {
        List<Window> windows = new ArrayList<>();
        List<Pause> probe = new ArrayList<>();
        List<Path> latencyLogs;
        try (var files = Files.list(runDir)) {
            latencyLogs = files.filter(p -> LATENCY_LOG.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path log : latencyLogs) {
            Matcher m = LATENCY_LOG.matcher(log.getFileName().toString());
            m.matches();
            String round = m.group(1);
            windows.addAll(windows(log, round));
            Path jvm = runDir.resolve(round + "-latency-jvm.log");
            if (Files.isReadable(jvm)) {
                probe.addAll(safepoints(jvm, "probe " + round));
            }
        }
        Path brokersLog = runDir.resolve("brokers-gc.log");
        if (windows.isEmpty() || !Files.isReadable(brokersLog)) {
            return "Pauses: " + runDir + " has no slice windows or no brokers-gc.log (runs before 12 logged neither).\n";
        }
        List<Pause> brokers = brokerPauses(brokersLog);
        StringBuilder s = new StringBuilder();
        s.append("Pauses during the latency slices (a pause counts from ").append(COUNTED.toMillis())
                .append(" ms; p99 in ms, median over the slices in brackets). A slice's p99 is its slowest 20 ms of "
                        + "records, so a pause on the path sets it:\n\n");
        s.append("| target | slices | p99 | with a brokers' pause | with its gateway's safepoint | with the probe's pause "
                + "| with none | longest brokers' / gateway / probe pause in a slice (ms) |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String target : targets) {
            List<Window> mine = windows.stream().filter(w -> w.target().equals(target)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            List<Pause> gateway = List.of();
            Path gatewayLog = runDir.resolve("gateway-" + target + "-jvm.log");
            if (Files.isReadable(gatewayLog)) {
                gateway = safepoints(gatewayLog, "gateway " + target);
            }
            Predicate<Window> brokerPaused = w -> counted(brokers, w);
            List<Pause> gw = gateway;
            Predicate<Window> gatewayPaused = w -> counted(gw, w);
            Predicate<Window> probePaused = w -> counted(probe.stream()
                    .filter(p -> p.jvm().equals("probe " + w.round())).toList(), w);
            Predicate<Window> none = brokerPaused.or(gatewayPaused).or(probePaused).negate();
            s.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %s | %s | %s | %.1f / %.1f / %.1f |%n", target,
                    mine.size(), median(mine), cell(mine, brokerPaused), target.equals("direct") ? "-"
                            : cell(mine, gatewayPaused), cell(mine, probePaused), cell(mine, none),
                    longest(brokers, mine), longest(gateway, mine), longest(probe, mine)));
        }
        return s.toString();
    }

    private static boolean counted(List<Pause> pauses, Window w) {
        return pauses.stream().anyMatch(p -> p.length().compareTo(COUNTED) >= 0 && p.overlaps(w));
    }

    private static double longest(List<Pause> pauses, List<Window> windows) {
        return pauses.stream().filter(p -> windows.stream().anyMatch(p::overlaps))
                .mapToDouble(p -> p.length().toNanos() / 1e6).max().orElse(0);
    }

    private static String cell(List<Window> windows, Predicate<Window> which) {
        List<Window> matching = windows.stream().filter(which).toList();
        return matching.isEmpty() ? "0" : String.format(Locale.ROOT, "%d (%.2f)", matching.size(), median(matching));
    }

    private static double median(List<Window> windows) {
        double[] p99 = windows.stream().mapToDouble(Window::p99Ms).sorted().toArray();
        int n = p99.length;
        return n % 2 == 1 ? p99[n / 2] : (p99[n / 2 - 1] + p99[n / 2]) / 2;
    }

    private static Instant instant(String text, Path file, int line) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BenchException(file + ":" + (line + 1) + ": \"" + text + "\" is not an ISO-8601 instant");
        }
    }

    /** {@code PauseReport RUN_DIR [TARGET...]}: the report of a finished run (targets default to direct + gateways). */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: PauseReport RUN_DIR [TARGET...]  (RUN_DIR: a bench run directory)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<String> targets = new ArrayList<>();
        if (args.length > 1) {
            targets.addAll(List.of(args).subList(1, args.length));
        } else {
            targets.add("direct");
            try (var files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gateway-") && n.endsWith("-jvm.log"))
                        .sorted().forEach(n -> targets.add(n.substring("gateway-".length(), n.length() - "-jvm.log".length())));
            }
        }
        System.out.print(report(dir, targets));
    }
}
