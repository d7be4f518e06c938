package io.brokerlink.gateway.rewrite;

/**
 * How rewrite mode keeps broker addresses out of Fetch responses (v16+ carry the NodeEndpoints tagged field).
 * Fetch responses are the bulk of the traffic, so this is the one setting that trades correctness latency for
 * throughput; see docs/ARCHITECTURE.md, "Rewrite mode".
 */
public enum FetchEndpointsMode {
    /**
     * Walk each Fetch v16+ response's structure (partition headers, record-set lengths) without reading or
     * copying the records; only when the top-level NodeEndpoints field is present is the response decoded and
     * re-encoded. Clients learn a new leader from the Fetch response itself (KIP-951). The default.
     */
    SCAN,
    /**
     * Cap Fetch at v15 in ApiVersions: Fetch responses then carry no addresses at all and are forwarded after
     * reading only their size and correlation id. Clients learn leader moves from a Metadata refresh instead.
     */
    CAP_V15
}
