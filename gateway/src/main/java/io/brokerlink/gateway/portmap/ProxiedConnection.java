package io.brokerlink.gateway.portmap;

import io.brokerlink.gateway.limits.Admission;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** A client connection and (once connected) its upstream connection; closing one side closes the other. */
final class ProxiedConnection {

    final Channel client;
    private volatile Channel upstream;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Admission.Admitted admission;
    /** Set once both directions are spliced (epoll): closing then goes through it. */
    private volatile SplicedConnection spliced;

    ProxiedConnection(Channel client) {
        this.client = client;
    }

    void admitted(Admission.Admitted admitted) {
        this.admission = admitted;
    }

    /** Frees this connection's place under the connection limits (once, however often called). */
    void release() {
        Admission.Admitted a = admission;
        if (a != null) {
            a.release();
        }
    }

    void upstream(Channel channel) {
        this.upstream = channel;
    }

    Channel upstream() {
        return upstream;
    }

    void spliced(SplicedConnection connection) {
        this.spliced = connection;
    }

    /** Called per read batch (per event when spliced); a graceful shutdown closes a connection once it has been quiet for a while. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    boolean quietFor(long nanos) {
        return System.nanoTime() - lastActivityNanos >= nanos;
    }

    /** Writes out what is queued on each side (buffers or pipes), then closes it. Any thread. */
    void closeBoth() {
        SplicedConnection s = spliced;
        if (s != null) {
            s.closeAfterFlush();
            return;
        }
        closeAfterFlush(client);
        Channel up = upstream;
        if (up != null) {
            closeAfterFlush(up);
        }
    }

    private static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
