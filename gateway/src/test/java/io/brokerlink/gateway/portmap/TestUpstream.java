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
 * back-pressure), not Kafka. On connect it writes its name and a newline, then either echoes every byte
 * ({@link Behaviour#ECHO}) or reads to end of input and answers {@code got N bytes} before closing
 * ({@link Behaviour#COUNT_UNTIL_EOF}).
 */
final class TestUpstream implements AutoCloseable {

    enum Behaviour { ECHO, COUNT_UNTIL_EOF }

    private final String name;
    private final Behaviour behaviour;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicInteger accepted = new AtomicInteger();

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
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (behaviour == Behaviour.ECHO) {
                    out.write(buffer, 0, n);
                }
            }
            if (behaviour == Behaviour.COUNT_UNTIL_EOF) {
                out.write(("got " + total + " bytes\n").getBytes(StandardCharsets.US_ASCII));
            }
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
