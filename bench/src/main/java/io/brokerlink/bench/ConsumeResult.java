package io.brokerlink.bench;

/**
 * The result line of one {@code ConsumerPerformance} run. {@code fetchMbPerSec} excludes the group join (the
 * tool's {@code fetch.MB.sec}): it is the data path's throughput, which is what a gateway can slow down.
 */
record ConsumeResult(double mb, long records, double mbPerSec, long rebalanceMs, long fetchMs, double fetchMbPerSec) {

    ConsumeResult {
        if (records <= 0 || fetchMs <= 0) {
            throw new IllegalArgumentException("a consume result needs records fetched over time, was " + records
                    + " records in " + fetchMs + " ms");
        }
    }

    /**
     * Parses the CSV line under the header {@code start.time, end.time, data.consumed.in.MB, MB.sec,
     * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec}.
     */
    static ConsumeResult parse(String output) {
        String[] lines = output.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String[] f = lines[i].split(",");
            if (f.length >= 10 && !lines[i].contains("start.time")) {
                try {
                    return new ConsumeResult(Double.parseDouble(f[2].trim()), Long.parseLong(f[4].trim()),
                            Double.parseDouble(f[3].trim()), Long.parseLong(f[6].trim()), Long.parseLong(f[7].trim()),
                            Double.parseDouble(f[8].trim()));
                } catch (NumberFormatException e) {
                    // not the result line; keep looking upwards
                }
            }
        }
        throw new BenchException("ConsumerPerformance printed no result line:\n" + ChildJvm.tail(output));
    }
}
