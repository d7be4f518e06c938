package io.brokerlink.gateway.rewrite;


import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.metrics.ListenerMeters;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;

/**
 * One bound port of rewrite mode and the broker behind it. The upstream address may change between connections
 * (a broker restarted elsewhere); each new client connection reads the current one.
 */
final class BrokerListener {

    final String name;
    final HostPort listen;
    /** Keyed by upstream address (kafka-proxy style): bound from start-up, whatever metadata says. */
    final boolean addressKeyed;
    final ChannelGroup connections;
    final ListenerMeters meters;
    volatile Integer nodeId;
    volatile HostPort upstream;
    volatile HostPort advertised;
    volatile String rack;
    volatile Channel serverChannel;
    volatile boolean draining;

    BrokerListener(String name, HostPort listen, boolean addressKeyed, ChannelGroup connections, ListenerMeters meters) {
        this.name = name;
        this.listen = listen;
        this.addressKeyed = addressKeyed;
        this.connections = connections;
        this.meters = meters;
    }
}
