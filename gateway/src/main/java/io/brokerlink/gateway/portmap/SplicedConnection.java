package io.brokerlink.gateway.portmap;

import io.brokerlink.gateway.limits.IdleTimeout;
import io.brokerlink.gateway.metrics.ListenerMeters;
import io.brokerlink.gateway.netty.PeerIo;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One portmap connection on epoll with both directions spliced: socket, pipe, socket with splice(2), so the bytes
 * never enter user space. Netty accepts and connects the two sockets; then both channels are deregistered from the
 * event loop and this class registers their file descriptors on the same loop and moves the bytes itself.
 *
 * <p>Not Netty's {@code spliceTo} (deprecated in 4.2, gone in 5): it shuts a socket's input as soon as the FIN is
 * seen, before the bytes queued ahead of it are spliced, and once that socket has no epoll interest left its fd is
 * dropped from epoll and re-enabling reads fails (epoll_ctl ENOENT), which closes the connection mid-stream. Here a
 * direction ends only when a splice from its socket returns nothing after the FIN while its pipe is empty, and a
 * socket with nothing to wait for is unregistered and registered again when needed.
 *
 * <p>Each direction splices a chunk into a pipe and out to the other socket before reading more, so at most one
 * pipe (64 KiB) is in flight per direction: back-pressure is the receiving socket's. The pipe is borrowed from the
 * event loop's {@link PipePool} and given back as soon as it is empty again, which is after almost every event: only
 * a direction whose target is full holds one between events, so idle connections hold no pipe. Everything runs on
 * the event loop of the two channels.
 */
final class SplicedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SplicedConnection.class);

    /** Asked of each splice from a socket; the kernel moves at most what the pipe holds (64 KiB by default). */
    private static final int CHUNK = 1 << 20;
    /** Splices from one socket per event; then other connections on the loop get a turn (epoll reports it again). */
    private static final int ROUNDS = 16;
    /** Linux ABI value; Netty's Native does not export it. Reported without being asked for: hang-up or reset. */
    private static final int EPOLLHUP = 0x010;

    private final ProxiedConnection connection;
    private final IoEventLoop loop;
    private final IdleTimeout idle;
    private final End client;
    private final End upstream;
    private final Direction toUpstream;
    private final Direction toClient;
    /** No more reading; what is in the pipes still goes out, then everything closes. */
    private boolean closing;
    private boolean closed;

    /** One of the two sockets: source of one direction, destination of the other. */
    private final class End implements EpollIoHandle {

        final Channel channel;
        final Socket socket;
        Direction from;
        Direction into;
        IoRegistration registration;
        int interest;
        /** The peer sent FIN: whatever its socket still holds is all there is. */
        boolean finReceived;

        End(Channel channel) {
            this.channel = channel;
            this.socket = (Socket) ((UnixChannel) channel).fd();
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            int ops = ((EpollIoEvent) event).ops().value();
            if ((ops & (Native.EPOLLRDHUP | EPOLLHUP)) != 0) {
                finReceived = true;
            }
            onEvent(this);
        }

        /** The event loop is shutting down with this connection still open. */
        @Override
        public void close() {
            closeNow();
        }
    }

    /** Bytes from one socket to the other through one pipe. */
    private final class Direction {

        final End source;
        final End target;
        final Counter bytes;
        /** Borrowed from the loop's pool while it holds bytes ({read end, write end}); null when empty. */
        FileDescriptor[] pipe;
        /** Spliced into the pipe, not yet out of it. */
        int inPipe;
        /** The source is at end of stream and everything before it has been read. */
        boolean sourceDone;
        /** Everything is out and the target's output is shut down (our FIN passed on). */
        boolean finished;

        Direction(End source, End target, Counter bytes) {
            this.source = source;
            this.target = target;
            this.bytes = bytes;
            source.from = this;
            target.into = this;
        }

        /** Moves what it can without blocking; returns the bytes taken from the source. */
        long pump() throws IOException {
            long moved = 0;
            for (int round = 0; ; round++) {
                if (inPipe > 0) {
                    inPipe -= Native.splice(pipe[0].intValue(), -1, target.socket.intValue(), -1, inPipe);
                    if (inPipe > 0) {
                        break; // the target's socket is full: wait until it is writable (keeping the pipe)
                    }
                }
                if (sourceDone || closing || round == ROUNDS) {
                    break;
                }
                if (pipe == null) {
                    pipe = borrowPipe();
                }
                int n = Native.splice(source.socket.intValue(), -1, pipe[1].intValue(), -1, CHUNK);
                if (n > 0) {
                    inPipe += n;
                    moved += n;
                    bytes.increment(n);
                    continue;
                }
                // Nothing, with the pipe empty (so not a full pipe): the socket holds no byte now. After the FIN
                // nothing more can come, so that is the end of this direction.
                if (source.finReceived) {
                    sourceDone = true;
                }
                break;
            }
            giveBackIfEmpty();
            if (sourceDone && inPipe == 0 && !finished) {
                finished = true;
                target.socket.shutdown(false, true);
            }
            return moved;
        }

        /** Only on a normal return: after an exception the pipe's content is unknown, and closing closes it. */
        private void giveBackIfEmpty() {
            if (inPipe == 0 && pipe != null) {
                PipePool.ofThisLoop().giveBack(pipe);
                pipe = null;
            }
        }

        /** Closing the connection: a pipe still held may hold bytes nobody will take, so it is closed, not lent. */
        void closePipe() {
            if (pipe != null) {
                PipePool.close(pipe);
                pipe = null;
            }
        }

        /** Closing: gives the target what the pipe holds, reading nothing more. True once nothing is left. */
        boolean drain() {
            if (inPipe > 0) {
                try {
                    inPipe -= Native.splice(pipe[0].intValue(), -1, target.socket.intValue(), -1, inPipe);
                } catch (IOException e) {
                    closePipe(); // the target is gone: nobody left to give these bytes to
                    inPipe = 0;
                }
            }
            giveBackIfEmpty();
            return inPipe == 0;
        }

        boolean wantsSource() {
            return !closing && !sourceDone && inPipe == 0;
        }

        boolean wantsTarget() {
            return inPipe > 0;
        }
    }

    private SplicedConnection(ProxiedConnection connection, Channel client, Channel upstream, ListenerMeters meters,
                              IdleTimeout idle) {
        this.connection = connection;
        this.loop = (IoEventLoop) client.eventLoop();
        this.idle = idle;
        this.client = new End(client);
        this.upstream = new End(upstream);
        this.toUpstream = new Direction(this.client, this.upstream, meters.bytesToUpstream());
        this.toClient = new Direction(this.upstream, this.client, meters.bytesToClient());
    }

    /**
     * Takes the connected pair over (on their event loop, both channels not reading). Throws when the loop has no
     * pipe and none can be created (no file descriptors left): the caller then relays through user space.
     */
    static SplicedConnection start(ProxiedConnection connection, Channel client, Channel upstream,
                                   ListenerMeters meters, IdleTimeout idle) throws IOException {
        if (!client.eventLoop().inEventLoop() || upstream.eventLoop() != client.eventLoop()) {
            throw new IllegalStateException("a spliced pair starts on its one event loop: its pipes are that loop's");
        }
        PipePool pipes = PipePool.ofThisLoop();
        pipes.giveBack(pipes.borrow()); // one to lend when the first bytes come
        SplicedConnection spliced = new SplicedConnection(connection, client, upstream, meters, idle);
        // A channel closed by anyone else (idle timeout, event loop shutdown) ends the pair at once.
        client.closeFuture().addListener(f -> spliced.closeNow());
        upstream.closeFuture().addListener(f -> spliced.closeNow());
        // Deregistering completes on a later turn of the loop; only then may these fds be registered again.
        client.deregister().addListener(c -> upstream.deregister().addListener(u -> spliced.begin()));
        return spliced;
    }

    private void begin() {
        if (closed) {
            return;
        }
        if (closing) {
            closeNow();
            return;
        }
        onEvent(client); // bytes may have arrived meanwhile: level-triggered epoll would report them anyway
    }

    private void onEvent(End end) {
        if (closed) {
            return;
        }
        try {
            long moved = 0;
            if (closing) {
                if (toUpstream.drain() & toClient.drain()) {
                    closeNow();
                    return;
                }
            } else {
                // Readable, writable or hung up: either direction may move now (each stops at EAGAIN).
                moved = toUpstream.pump() + toClient.pump();
                if (toUpstream.finished && toClient.finished) {
                    closeNow();
                    return;
                }
            }
            if (moved > 0) {
                connection.touch();
                if (idle != null) {
                    idle.trafficSeen();
                }
            }
            updateInterest(client);
            updateInterest(upstream);
        } catch (IOException | RuntimeException e) {
            if (PeerIo.isPeerIo(e)) { // reset, broken pipe, not connected any more: the peer's doing
                LOG.debug("spliced connection {} failed: {}", client.channel, e.toString());
                closeAfterFlush();
            } else {
                LOG.warn("closing spliced connection {}: {}", client.channel, e.toString(), e);
                closeNow();
            }
        }
    }

    /**
     * Registers what the socket waits for. A socket that waits for nothing is unregistered rather than left with an
     * empty interest set (Netty's registration cannot be re-armed after that) and registered anew when needed.
     */
    private void updateInterest(End end) {
        int wanted = 0;
        if (end.from.wantsSource()) {
            wanted |= Native.EPOLLIN | Native.EPOLLRDHUP; // RDHUP: an empty read after it means end of stream
        }
        if (end.into.wantsTarget()) {
            wanted |= Native.EPOLLOUT;
        }
        if (wanted == end.interest && (wanted == 0) == (end.registration == null)) {
            return;
        }
        if (wanted == 0) {
            end.registration.cancel();
            end.registration = null;
        } else {
            if (end.registration == null) {
                Future<IoRegistration> registered = loop.register(end);
                if (!registered.isSuccess()) {
                    throw new IllegalStateException("cannot register a spliced socket with its event loop",
                            registered.cause());
                }
                end.registration = registered.getNow();
            }
            end.registration.submit(EpollIoOps.valueOf(wanted));
        }
        end.interest = wanted;
    }

    /** Stops reading, gives each side what its pipe still holds, then closes both. Any thread. */
    void closeAfterFlush() {
        if (!loop.inEventLoop()) {
            loop.execute(this::closeAfterFlush);
            return;
        }
        if (closed || closing) {
            return;
        }
        closing = true;
        onEvent(client);
    }

    /** A pipe from this loop's pool; mid-stream, no pipe means no file descriptor left, which ends the connection. */
    private static FileDescriptor[] borrowPipe() throws IOException {
        try {
            return PipePool.ofThisLoop().borrow();
        } catch (IOException e) {
            throw new IOException("no pipe to splice through (" + e.getMessage() + "): the process is out of file "
                    + "descriptors; raise its open-files limit (ulimit -n)", e);
        }
    }

    /** Unregisters both sockets, then closes the pipes and both channels. */
    void closeNow() {
        if (!loop.inEventLoop()) {
            loop.execute(this::closeNow);
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        for (End end : new End[] {client, upstream}) {
            if (end.registration != null) {
                end.registration.cancel();
                end.registration = null;
            }
        }
        toUpstream.closePipe();
        toClient.closePipe();
        client.channel.close();
        upstream.channel.close();
    }
}
