/**
 * {@code brokerlink doctor}: proof that a private-link deployment works. {@link io.brokerlink.doctor.lint} checks
 * broker {@code server.properties} files statically; {@link io.brokerlink.doctor.check} connects through the endpoint
 * the way the consumer will. Both report {@link io.brokerlink.doctor.Finding}s with stable {@link io.brokerlink.doctor.Code}s.
 */
package io.brokerlink.doctor;
