/**
 * Limits that protect a gateway exposed to another network, shared by both modes: total connections, connections per
 * source address ({@link io.brokerlink.gateway.limits.ConnectionAdmission}), idle timeout
 * ({@link io.brokerlink.gateway.limits.IdleTimeout}), upstream connect timeout, and for rewrite mode (which parses
 * frames) frame size and requests in flight per connection
 * ({@link io.brokerlink.gateway.limits.InFlightRequestLimit}). {@link io.brokerlink.gateway.limits.ConnectionLimits}
 * is the configuration; every hit is counted by {@link io.brokerlink.gateway.limits.LimitMeters}
 * ({@code brokerlink_gateway_limit_hits_total{limit,listener}}) and logged in one line.
 */
package io.brokerlink.gateway.limits;
