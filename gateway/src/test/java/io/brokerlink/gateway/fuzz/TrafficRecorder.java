package io.brokerlink.gateway.fuzz;

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

/**
 * A forwarder in front of a gateway that keeps what clients send: listens on {@code host:port} for each port, forwards
 * each connection to the same port of {@code backendHost}, and records the client-to-server bytes of every connection
 * separately (responses pass unrecorded).
 */
final class TrafficRecorder implements AutoCloseable {

    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
    private final String backendHost;
    private volatile boolean closed;

    TrafficRecorder(String host, List<Integer> ports, String backendHost) throws IOException {
        this.backendHost = backendHost;
        for (int port : ports) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            servers.add(s);
            Thread t = new Thread(() -> accept(s, port), "recorder-" + port);
            t.setDaemon(true);
            t.start();
        }
    }

    private void accept(ServerSocket server, int port) {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket(backendHost, port);
                sockets.add(client);
                sockets.add(backend);
                ByteArrayOutputStream recording = new ByteArrayOutputStream();
                connections.add(recording);
                pump(client, backend, recording);
                pump(backend, client, null);
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
                    if (recording != null) {
                        synchronized (recording) {
                            recording.write(buf, 0, n);
                        }
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
        }, "recorder-pump");
        t.setDaemon(true);
        t.start();
    }

    /** The request frames of every recorded connection, in connection order. */
    List<List<RequestFrame>> requestsPerConnection() {
        List<List<RequestFrame>> out = new ArrayList<>();
        for (ByteArrayOutputStream c : connections) {
            byte[] bytes;
            synchronized (c) {
                bytes = c.toByteArray();
            }
            List<RequestFrame> frames = RequestFrame.split(bytes);
            if (!frames.isEmpty()) {
                out.add(frames);
            }
        }
        return out;
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
