/**
 * Rewrite mode: a Kafka-protocol-aware proxy in front of an unchanged cluster.
 *
 * <p>Owned by the rewrite-mode team; the portmap team created only the configuration record so that the shared
 * loader and {@code Gateway.start} compile.
 */
package io.brokerlink.gateway.rewrite;
