/**
 * Portmap mode: a TCP port-mapping balancer in software. A bootstrap port forwards each new connection to a healthy
 * member of its group (round robin); each broker port forwards to its one broker and closes new connections at once
 * while that broker is unhealthy. Bytes pass untouched (no Kafka parsing), with half-close and back-pressure carried
 * across: on epoll spliced from socket to socket in the kernel, otherwise through user-space buffers.
 *
 * <p>Pipeline of an accepted client: {@link io.brokerlink.gateway.portmap.UpstreamConnector} (picks a target, opens
 * the upstream connection), then either {@link io.brokerlink.gateway.portmap.SplicedConnection} takes both sockets
 * over (epoll) or a {@link io.brokerlink.gateway.portmap.Relay} on each channel moves the bytes (NIO).
 */
package io.brokerlink.gateway.portmap;
