/**
 * {@code brokerlink doctor check}: live checks from the consumer's side, in the order of CLOUDS.md: bootstrap through
 * every bootstrap address, the broker list, each advertised address on its own connection (who answers?), then the
 * data path with real kafka-clients. {@link io.brokerlink.doctor.check.ResolveRules} and
 * {@link io.brokerlink.doctor.check.HostsFile} emulate the consumer's private DNS inside this JVM.
 */
package io.brokerlink.doctor.check;
