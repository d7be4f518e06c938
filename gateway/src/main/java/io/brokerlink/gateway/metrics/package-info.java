/**
 * Gateway meters (Micrometer), shared by both modes so that dashboards see the same names whatever the mode:
 * {@code brokerlink_gateway_connections_open}, {@code ..._bytes_total}, {@code ..._upstream_connect_failures_total}.
 */
package io.brokerlink.gateway.metrics;
