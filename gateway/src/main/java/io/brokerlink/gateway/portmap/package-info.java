/**
 * Portmap mode: a TCP port-mapping balancer in software. A bootstrap port forwards each new connection to a healthy
 * member of its group (round robin); each broker port forwards to its one broker and closes new connections at once
 * while that broker is unhealthy. Bytes pass untouched (no Kafka parsing): the buffer read from one socket is the
 * buffer written to the other, flushed once per read batch, with half-close and back-pressure carried across.
 *
 * <p>Pipeline of an accepted client: {@link io.brokerlink.gateway.portmap.UpstreamConnector} (picks a target, opens
 * the upstream connection) then {@link io.brokerlink.gateway.portmap.Relay} on both channels (moves bytes).
 */
package io.brokerlink.gateway.portmap;
