package io.brokerlink.gateway.fuzz;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays one {@link FuzzCase} on a raw socket: connect from the fuzz source address, make each write (flushed on its
 * own), end as the case says, and read back whatever comes, counting whole response frames. A watchdog closes a
 * connection that neither side ends, so a stuck peer costs a bounded time.
 */
final class FuzzConnection {

    /**
     * What happened on one connection.
     *
     * @param client     the client's {@code address:port} as the gateway sees it (its WARN lines name it)
     * @param peerClosed the far side closed (end of stream or reset) before this client gave up waiting
     * @param responses  whole size-prefixed frames read back
     * @param problem    empty, or what went wrong on the client side (connect refused, watchdog)
     */
    record Outcome(String client, boolean peerClosed, int responses, long bytesRead, String problem) {
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final String sourceAddress;
    private final Duration quietRead;
    private final Duration expectingRead;
    private final Duration watchdog;

    /**
     * @param quietRead     how long to wait for more bytes when nothing in particular is expected
     * @param expectingRead how long to wait for an expected answer or close
     * @param watchdog      the most one connection may take
     */
    FuzzConnection(String sourceAddress, Duration quietRead, Duration expectingRead, Duration watchdog) {
        this.sourceAddress = sourceAddress;
        this.quietRead = quietRead;
        this.expectingRead = expectingRead;
        this.watchdog = watchdog;
    }

    Outcome run(FuzzCase c, FuzzTarget target) {
        Socket s = new Socket();
        ScheduledFuture<?> guard = WATCHDOG.schedule(() -> closeQuietly(s), watchdog.toMillis(), TimeUnit.MILLISECONDS);
        String client = "?";
        ResponseReader reader = null;
        try {
            s.bind(new InetSocketAddress(sourceAddress, 0));
            s.setTcpNoDelay(true);
            s.connect(target.address(), 5000);
            client = sourceAddress + ":" + s.getLocalPort();
            reader = new ResponseReader(s.getInputStream());
            boolean writeFailed = false;
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < c.writes().size(); i++) {
                try {
                    out.write(c.writes().get(i));
                    out.flush();
                } catch (IOException e) {
                    writeFailed = true; // the far side closed mid-case: what it does with bad input
                    break;
                }
                if (c.awaitAnswerAfter().contains(i)) {
                    reader.readUntil(s, reader.responses + 1, expectingRead);
                    if (reader.peerClosed) {
                        break;
                    }
                }
            }
            boolean expecting = !(c.verdict() instanceof FuzzCase.AnyOutcome);
            int wanted = c.verdict() instanceof FuzzCase.Answered a ? a.responses() : Integer.MAX_VALUE;
            if (c.ending() == FuzzCase.Ending.HALF_CLOSE && !writeFailed) {
                s.shutdownOutput();
            }
            Duration wait = c.ending() == FuzzCase.Ending.RESET && !expecting ? Duration.ofMillis(100)
                    : expecting ? expectingRead : quietRead;
            reader.readUntil(s, wanted, wait);
            if (c.ending() == FuzzCase.Ending.RESET) {
                s.setSoLinger(true, 0);
            }
            boolean watchdogFired = guard.isDone() && !guard.isCancelled();
            return new Outcome(client, reader.peerClosed, reader.responses, reader.bytes,
                    watchdogFired ? "watchdog closed the connection after " + watchdog.toMillis() + " ms" : "");
        } catch (IOException e) {
            return new Outcome(client, reader != null && reader.peerClosed, reader == null ? 0 : reader.responses,
                    reader == null ? 0 : reader.bytes, e.toString());
        } finally {
            guard.cancel(false);
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Reads size-prefixed frames; stops at the wanted count, end of stream, reset, or a quiet period. */
    private static final class ResponseReader {
        private final DataInputStream in;
        int responses;
        long bytes;
        boolean peerClosed;

        ResponseReader(InputStream in) {
            this.in = new DataInputStream(in);
        }

        void readUntil(Socket s, int wanted, Duration quiet) throws IOException {
            s.setSoTimeout((int) Math.max(1, quiet.toMillis()));
            byte[] skip = new byte[64 * 1024];
            try {
                while (responses < wanted) {
                    int size = in.readInt();
                    bytes += 4;
                    if (size < 0) {
                        throw new IOException("the far side sent a negative frame size " + size);
                    }
                    int left = size;
                    while (left > 0) {
                        int n = in.read(skip, 0, Math.min(left, skip.length));
                        if (n < 0) {
                            throw new EOFException();
                        }
                        left -= n;
                        bytes += n;
                    }
                    responses++;
                }
            } catch (EOFException e) {
                peerClosed = true;
            } catch (SocketTimeoutException e) {
                // quiet for the whole period: the far side keeps the connection open
            } catch (java.net.SocketException e) {
                peerClosed = !s.isClosed(); // a reset from the far side; closed by us means the watchdog
            }
        }
    }
}
