/**
 * The gateway's entry points, shared by both modes: {@link io.brokerlink.gateway.GatewayConfigLoader} reads a
 * config file, {@link io.brokerlink.gateway.Gateway#start} starts the mode it names and returns a
 * {@link io.brokerlink.gateway.RunningGateway} (bound addresses, readiness, status, graceful close).
 *
 * <p>Sub-packages: {@code config} (strict YAML), {@code portmap} (TCP port mapping), {@code rewrite} (Kafka-aware
 * proxy), {@code admin} (HTTP /healthz /readyz /metrics /status), {@code metrics}, {@code netty} (transport).
 */
package io.brokerlink.gateway;
