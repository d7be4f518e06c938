package io.brokerlink.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The summary line of one {@code ProducerPerformance} run. Latencies are whole milliseconds, as the tool prints. */
record ProduceResult(long records, double recordsPerSec, double mbPerSec, double avgLatencyMs, double maxLatencyMs,
                     int p50Ms, int p95Ms, int p99Ms, int p999Ms) {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+)( steady state)? records sent, ([\\d.]+) "
            + "records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, "
            + "(\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    ProduceResult {
        if (records <= 0 || recordsPerSec <= 0) {
            throw new IllegalArgumentException("a produce result needs records sent, was " + records + " at "
                    + recordsPerSec + " records/s");
        }
    }

    /** The whole run's summary line. */
    static ProduceResult parse(String output) {
        return summary(output, false);
    }

    /** The steady-state summary line of a run with {@code --warmup-records}: the records after the warm-up. */
    static ProduceResult parseSteadyState(String output) {
        return summary(output, true);
    }

    private static ProduceResult summary(String output, boolean steadyState) {
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            if ((m.group(2) != null) == steadyState) {
                return new ProduceResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)),
                        Integer.parseInt(m.group(7)), Integer.parseInt(m.group(8)), Integer.parseInt(m.group(9)),
                        Integer.parseInt(m.group(10)));
            }
        }
        throw new BenchException("ProducerPerformance printed no " + (steadyState ? "steady-state " : "")
                + "summary line" + (steadyState ? " (was --warmup-records less than --num-records?)" : "") + ":\n"
                + ChildJvm.tail(output));
    }
}
