package io.brokerlink.gateway.rewrite;

/**
 * How rewrite mode keeps broker addresses out of Fetch responses (v16+ carry the NodeEndpoints tagged field).
 * Fetch responses are the bulk of the traffic, so this is the one setting that trades leader-move latency for
 * throughput; see docs/ARCHITECTURE.md, "Fetch trade-off", and BENCHMARKS.md for the measured difference.
 */
public enum FetchEndpointsMode {
    /**
     * Walk each Fetch v16+ response's structure (partition headers, record-set lengths) without reading or
     * copying the records; only when the top-level NodeEndpoints field is present is the response decoded and
     * re-encoded. Clients learn a new leader from the Fetch response itself (KIP-951). Every Fetch response passes
     * through user space whole (the field is at its end), about three times the gateway CPU per consumed MiB.
     */
    SCAN,
    /**
     * Cap Fetch at v15 in ApiVersions: Fetch responses then carry no addresses at all and are forwarded after
     * reading only their size and correlation id, the body spliced from socket to socket on epoll.
     * Consumers learn leader moves from a Metadata refresh instead, as clients before Kafka 3.7 always did; Produce
     * keeps its KIP-951 leader hints (Produce v10+ responses are rewritten either way). The default.
     */
    CAP_V15;

    /** What a configuration without {@code fetch-endpoints} gets. */
    public static final FetchEndpointsMode DEFAULT = CAP_V15;
}
