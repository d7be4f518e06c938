/**
 * Netty plumbing shared by both modes: the transport choice (native epoll when available, NIO otherwise) and the
 * data path (splice(2) between sockets on epoll, copies through user space otherwise).
 */
package io.brokerlink.gateway.netty;
