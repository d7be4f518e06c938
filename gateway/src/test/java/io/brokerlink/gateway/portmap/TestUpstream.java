package io.brokerlink.gateway.portmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server standing in for a broker where the behaviour under test is TCP itself (half-close, resets,
 * back-pressure), not Kafka. On connect it writes its name and a newline, then acts out its {@link Behaviour}.
 */
final class TestUpstream implements AutoCloseable {

    /** Bytes {@link Behaviour#STREAM_THEN_HALF_CLOSE} sends: {@code new Random(7)}, this many. */
    static final int STREAM_BYTES = 16 * 1024 * 1024;
    /** {@link Behaviour#TRICKLE}: this many chunks of 1 KiB, one every 100 ms. */
    static final int TRICKLE_CHUNKS = 20;

    enum Behaviour {
        /** Echoes every byte until end of input. */
        ECHO,
        /** Reads to end of input, then answers {@code got N bytes} and closes. */
        COUNT_UNTIL_EOF,
        /** As COUNT_UNTIL_EOF, but reads nothing for the first second: the client's bytes (and FIN) queue up. */
        COUNT_UNTIL_EOF_AFTER_PAUSE,
        /** Sends {@link #STREAM_BYTES} bytes, shuts its output (FIN), then counts what still arrives until EOF. */
        STREAM_THEN_HALF_CLOSE,
        /** Sends {@link #TRICKLE_CHUNKS} chunks of 1 KiB 100 ms apart (reads nothing), then closes. */
        TRICKLE
    }

    static byte[] streamBytes() {
        byte[] data = new byte[STREAM_BYTES];
        new java.util.Random(7).nextBytes(data);
        return data;
    }

    private final String name;
    private final Behaviour behaviour;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicInteger accepted = new AtomicInteger();
    /** Bytes read from the last connection that reached end of input (-1 before any did). */
    final java.util.concurrent.atomic.AtomicLong lastReadTotal = new java.util.concurrent.atomic.AtomicLong(-1);

    TestUpstream(String name, String address, Behaviour behaviour) throws IOException {
        this.name = name;
        this.behaviour = behaviour;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0));
        Thread acceptor = new Thread(this::acceptLoop, "upstream-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    int openConnections() {
        open.removeIf(Socket::isClosed);
        return open.size();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.add(socket);
                Thread t = new Thread(() -> serve(socket), "upstream-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            switch (behaviour) {
                case COUNT_UNTIL_EOF_AFTER_PAUSE -> Thread.sleep(1000);
                case STREAM_THEN_HALF_CLOSE -> {
                    out.write(streamBytes());
                    socket.shutdownOutput();
                }
                case TRICKLE -> {
                    for (int i = 0; i < TRICKLE_CHUNKS; i++) {
                        out.write(new byte[1024]);
                        Thread.sleep(100);
                    }
                    return;
                }
                default -> { }
            }
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (behaviour == Behaviour.ECHO) {
                    out.write(buffer, 0, n);
                }
            }
            lastReadTotal.set(total);
            if (behaviour == Behaviour.COUNT_UNTIL_EOF || behaviour == Behaviour.COUNT_UNTIL_EOF_AFTER_PAUSE) {
                out.write(("got " + total + " bytes\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the peer reset the connection: nothing more to do for this one
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
