package io.brokerlink.gateway.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny real-TCP balancer for tests: listens on {@code host:port} for each given port and forwards each new
 * connection to the next backend host (round robin) on the same port. It records what passes: every byte sent back
 * to clients (to search responses for addresses) and, per connection, every byte clients sent (a corpus of real
 * requests).
 */
public final class TcpForwarder implements AutoCloseable {

    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final ByteArrayOutputStream toClients = new ByteArrayOutputStream();
    private final List<ByteArrayOutputStream> fromClients = new CopyOnWriteArrayList<>();
    private final AtomicInteger[] connectionsPerBackend;
    private volatile boolean closed;

    public TcpForwarder(String host, List<Integer> ports, List<String> backendHosts) throws IOException {
        this.backends = List.copyOf(backendHosts);
        this.connectionsPerBackend = new AtomicInteger[backends.size()];
        for (int i = 0; i < backends.size(); i++) {
            connectionsPerBackend[i] = new AtomicInteger();
        }
        for (int port : ports) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            servers.add(s);
            Thread t = new Thread(() -> accept(s, port), "forwarder-" + port);
            t.setDaemon(true);
            t.start();
        }
    }

    private void accept(ServerSocket server, int port) {
        while (!closed) {
            try {
                Socket client = server.accept();
                int i = Math.floorMod(next.getAndIncrement(), backends.size());
                Socket backend = new Socket(backends.get(i), port);
                connectionsPerBackend[i].incrementAndGet();
                sockets.add(client);
                sockets.add(backend);
                ByteArrayOutputStream requests = new ByteArrayOutputStream();
                fromClients.add(requests);
                pump(client, backend, requests);
                pump(backend, client, toClients);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream recording) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (recording) {
                        recording.write(buf, 0, n);
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // one side closed: close both below
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "forwarder-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Every byte forwarded from the backends to clients so far, all connections together. */
    public byte[] recordedToClients() {
        synchronized (toClients) {
            return toClients.toByteArray();
        }
    }

    /** The bytes each client sent so far, one array per connection in the order they were accepted. */
    public List<byte[]> recordedFromClients() {
        List<byte[]> out = new ArrayList<>();
        for (ByteArrayOutputStream c : fromClients) {
            synchronized (c) {
                out.add(c.toByteArray());
            }
        }
        return out;
    }

    public int connectionsTo(int backendIndex) {
        return connectionsPerBackend[backendIndex].get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        for (ServerSocket s : servers) {
            s.close();
        }
        for (Socket s : sockets) {
            s.close();
        }
    }
}
