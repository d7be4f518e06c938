/**
 * The benchmark harness: one run starts a 3-node sandbox, the gateways under test in their own JVMs, and in child
 * JVMs Kafka's {@code ProducerPerformance} / {@code ConsumerPerformance} for throughput and {@code LatencyProbe} for
 * produce latency (all targets in interleaved slices), over rounds; then prints medians and ratios to direct access.
 * Also measures gateway heap with many idle client connections.
 */
package io.brokerlink.bench;
