package io.brokerlink.gateway.portmap;

import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The empty pipes of one event loop, lent to spliced connections for as long as they hold bytes.
 *
 * <p>A spliced direction moves a chunk into a pipe and straight out to the other socket, so its pipe is empty again
 * after almost every event; only a direction whose target socket is full keeps bytes (and so a pipe) between events.
 * Pipes therefore belong to the loop, not the connection: idle connections hold none. With a pipe pair per connection
 * (as before) every connection cost four file descriptors on top of its two sockets, and the kernel charges each pipe's
 * 16 pages to its user: past 1,024 pipes of one non-root user ({@code fs.pipe-user-pages-soft}, 16,384 pages) new
 * pipes hold 8 KiB instead of 64, so a gateway with more than 512 connections spliced the newer ones 8 KiB at a time.
 *
 * <p>Confined to its event loop's thread (a {@link FastThreadLocal}); the pipes it still holds are closed when that
 * thread ends.
 */
final class PipePool {

    private static final Logger LOG = LoggerFactory.getLogger(PipePool.class);

    /** Empty pipes kept for the next borrower; more are closed on return (a burst of full targets is over). */
    static final int KEPT = 4;

    private static final FastThreadLocal<PipePool> LOOP_POOLS = new FastThreadLocal<>() {
        @Override
        protected PipePool initialValue() {
            return new PipePool();
        }

        @Override
        protected void onRemoval(PipePool pool) {
            pool.closeAll();
        }
    };

    /** Each entry: {read end, write end}, both empty. */
    private final ArrayDeque<FileDescriptor[]> empty = new ArrayDeque<>();

    private PipePool() {
    }

    /** The pool of the calling thread: call it on the event loop that runs the connection. */
    static PipePool ofThisLoop() {
        return LOOP_POOLS.get();
    }

    /** An empty pipe, {read end, write end}: a kept one, or a new one. Throws when none can be created (no fds). */
    FileDescriptor[] borrow() throws IOException {
        FileDescriptor[] pipe = empty.pollFirst();
        return pipe != null ? pipe : FileDescriptor.pipe();
    }

    /** Gives back a pipe that holds no byte (the caller's count says so); it may go to the next connection. */
    void giveBack(FileDescriptor[] pipe) {
        if (empty.size() < KEPT) {
            empty.addFirst(pipe);
        } else {
            close(pipe);
        }
    }

    /** Empty pipes kept now. */
    int kept() {
        return empty.size();
    }

    private void closeAll() {
        FileDescriptor[] pipe;
        while ((pipe = empty.pollFirst()) != null) {
            close(pipe);
        }
    }

    /** Closes a pipe, for one that may still hold bytes (never given back) or one more than the pool keeps. */
    static void close(FileDescriptor[] pipe) {
        for (FileDescriptor fd : pipe) {
            try {
                fd.close();
            } catch (IOException e) {
                LOG.debug("closing a pipe: {}", e.toString());
            }
        }
    }
}
