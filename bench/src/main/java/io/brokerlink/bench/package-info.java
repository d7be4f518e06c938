/**
 * The benchmark harness: one run starts a 3-node sandbox, the gateways under test in their own JVMs, and Kafka's
 * {@code ProducerPerformance} / {@code ConsumerPerformance} in child JVMs, interleaving the targets over rounds, then
 * prints medians and ratios to direct access. Also measures gateway heap with many idle client connections.
 */
package io.brokerlink.bench;
