/** Netty plumbing shared by both modes: the transport choice (native epoll when available, NIO otherwise). */
package io.brokerlink.gateway.netty;
