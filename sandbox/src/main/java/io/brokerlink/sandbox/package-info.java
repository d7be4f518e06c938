/**
 * A real KRaft cluster started in-process from the Kafka jars, laid out like the seeds' brokers: every node
 * both broker and controller, INTERNAL / CONTROLLER / EXTERNAL listeners, EXTERNAL advertised from a pattern.
 * Used by {@code brokerlink sandbox}, by the demo, and (as a library) by every module's integration tests.
 */
package io.brokerlink.sandbox;
