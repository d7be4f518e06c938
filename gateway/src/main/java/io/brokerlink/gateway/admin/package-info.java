/**
 * The admin HTTP endpoint (Netty HTTP codec): {@code /healthz} (the process serves), {@code /readyz} (the gateway
 * should receive traffic), {@code /metrics} (Prometheus text), {@code /status} (JSON: listeners and brokers).
 */
package io.brokerlink.gateway.admin;
