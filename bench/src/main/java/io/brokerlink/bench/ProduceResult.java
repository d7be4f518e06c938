package io.brokerlink.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The summary line of one {@code ProducerPerformance} run. Latencies are whole milliseconds, as the tool prints. */
record ProduceResult(long records, double recordsPerSec, double mbPerSec, double avgLatencyMs, double maxLatencyMs,
                     int p50Ms, int p95Ms, int p99Ms, int p999Ms) {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec "
            + "\\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, "
            + "(\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    ProduceResult {
        if (records <= 0 || recordsPerSec <= 0) {
            throw new IllegalArgumentException("a produce result needs records sent, was " + records + " at "
                    + recordsPerSec + " records/s");
        }
    }

    /** The last summary line of the tool's output (the first summary is the whole run; steady state follows). */
    static ProduceResult parse(String output) {
        Matcher m = SUMMARY.matcher(output);
        ProduceResult first = null;
        while (m.find()) {
            // A run with --warmup-records prints the whole run first, then the steady state: the whole run counts.
            if (first == null) {
                first = new ProduceResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                        Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)), Integer.parseInt(m.group(8)),
                        Integer.parseInt(m.group(9)));
            }
        }
        if (first == null) {
            throw new BenchException("ProducerPerformance printed no summary line:\n" + ChildJvm.tail(output));
        }
        return first;
    }
}
