package io.brokerlink.bench;

/**
 * Where the processes of a throughput phase run. This 2-CPU machine holds three brokers, the client and the gateway;
 * a deployment puts the gateway on a machine of its own (the seeds' load balancer or proxy hosts). With the gateway
 * sharing the brokers' CPUs, the kernel's cost of its extra loopback hop (0.35-0.42 ms per consumed MiB, BENCHMARKS.md
 * runs 16, 21-22) is taken from the brokers and the client, which no deployment does.
 */
enum CpuShape {

    /** The gateways on CPUs of their own ({@link CpuSplit}); the brokers and every client on the rest, direct included. */
    GATEWAY_APART("apart", "the gateways on CPUs of their own, the brokers and the clients on the rest"),
    /** Every process on every CPU. */
    SHARED("shared", "every process sharing every CPU");

    private final String csv;
    private final String description;

    CpuShape(String csv, String description) {
        this.csv = csv;
        this.description = description;
    }

    /** The raw.csv column's value. */
    String csv() {
        return csv;
    }

    String description() {
        return description;
    }
}
