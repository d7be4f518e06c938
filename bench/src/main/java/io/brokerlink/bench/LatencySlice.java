package io.brokerlink.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One slice of a {@link LatencyProbe} run: {@code sent} records to one target at the fixed rate, each latency (send()
 * call to ack callback) in microseconds in {@code latencies}. The probe prints it as one {@code latency-slice} line;
 * the harness parses that line, so the histogram travels whole (base64 of HdrHistogram's compressed form) and rounds
 * can be pooled exactly.
 *
 * @param target        the target's name ({@code direct} or a gateway target)
 * @param slice         1-based position of this slice among the target's slices of the round
 * @param sent          records handed to send() in this slice
 * @param failed        sends that failed (exception from send() or in the callback): not in {@code latencies}
 * @param late          records handed to send() more than {@link #LATE_MICROS} µs after their scheduled time
 * @param maxLagMicros  the largest delay of a send() behind its scheduled time, µs
 * @param latencies     acknowledged records' latencies in µs (HdrHistogram, 3 significant digits)
 */
record LatencySlice(String target, int slice, long sent, long failed, long late, long maxLagMicros,
                    Histogram latencies) {

    static final String PREFIX = "latency-slice ";
    /** A send() this far behind its schedule counts as late: the schedule, not the data path, decided its timing. */
    static final long LATE_MICROS = 1_000;
    static final int SIGNIFICANT_DIGITS = 3;

    LatencySlice {
        if (target == null || target.isBlank() || target.contains(" ")) {
            throw new IllegalArgumentException("a latency slice needs a target name without spaces, was \"" + target + "\"");
        }
        if (slice < 1) {
            throw new IllegalArgumentException("slice " + slice + " of " + target + ": slices count from 1");
        }
        Objects.requireNonNull(latencies, "latencies");
        if (failed < 0 || late < 0 || late > sent || maxLagMicros < 0) {
            throw new IllegalArgumentException("slice " + slice + " of " + target + ": failed " + failed + ", late "
                    + late + " of " + sent + " sent, max lag " + maxLagMicros + " µs: counts must be 0 or more, late "
                    + "at most sent");
        }
        if (latencies.getTotalCount() + failed != sent) {
            throw new IllegalArgumentException("slice " + slice + " of " + target + ": " + sent + " sent but "
                    + latencies.getTotalCount() + " acknowledged and " + failed + " failed");
        }
        latencies = latencies.copy();
    }

    /** The line the probe prints: human-readable percentiles first, the histogram last (what the parser uses). */
    String line() {
        return PREFIX + String.format(Locale.ROOT, "target=%s slice=%d sent=%d failed=%d late=%d max-lag-us=%d "
                        + "p50-us=%d p99-us=%d p99.9-us=%d max-us=%d histogram=%s", target, slice, sent, failed, late,
                maxLagMicros, percentileMicros(50), percentileMicros(99), percentileMicros(99.9),
                latencies.getMaxValue(), encode(latencies));
    }

    private long percentileMicros(double percentile) {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(percentile);
    }

    static boolean isSliceLine(String line) {
        return line.startsWith(PREFIX);
    }

    /** Parses a {@link #line()}; {@code where} names the line in errors. */
    static LatencySlice parse(String line, String where) {
        if (!isSliceLine(line)) {
            throw new BenchException(where + ": not a " + PREFIX.strip() + " line: " + line);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.substring(PREFIX.length()).strip().split(" +")) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new BenchException(where + ": \"" + word + "\" is not KEY=VALUE in " + PREFIX.strip() + " line");
            }
            fields.put(word.substring(0, eq), word.substring(eq + 1));
        }
        try {
            return new LatencySlice(field(fields, "target", where), (int) number(fields, "slice", where),
                    number(fields, "sent", where), number(fields, "failed", where), number(fields, "late", where),
                    number(fields, "max-lag-us", where), decode(field(fields, "histogram", where), where));
        } catch (IllegalArgumentException e) {
            throw new BenchException(where + ": " + e.getMessage());
        }
    }

    private static String field(Map<String, String> fields, String key, String where) {
        String value = fields.get(key);
        if (value == null) {
            throw new BenchException(where + ": " + PREFIX.strip() + " line without " + key + "=; it has "
                    + fields.keySet());
        }
        return value;
    }

    private static long number(Map<String, String> fields, String key, String where) {
        String value = field(fields, key, where);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BenchException(where + ": " + key + "=" + value + " is not a whole number");
        }
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String base64, String where) {
        try {
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
            // Decoded histograms have a fixed range; an auto-resizing copy can be merged with any other.
            Histogram h = newHistogram();
            h.add(decoded);
            return h;
        } catch (DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new BenchException(where + ": histogram= is not a base64 compressed HdrHistogram (" + e + ")");
        }
    }

    /** An empty latency histogram in µs that grows to any value (a stalled send can take minutes). */
    static Histogram newHistogram() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }
}
