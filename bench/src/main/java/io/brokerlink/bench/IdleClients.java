package io.brokerlink.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many open, idle Kafka client connections: each connects, completes one ApiVersions v0 exchange (so the gateway
 * has set up its upstream side and seen a real request and response) and then stays silent until closed.
 */
final class IdleClients implements AutoCloseable {

    private static final byte[] CLIENT_ID = "bench-idle".getBytes(StandardCharsets.US_ASCII);
    private final List<Socket> sockets = new ArrayList<>();

    /** Opens {@code count} connections, spread round-robin over {@code addresses}. */
    static IdleClients open(List<InetSocketAddress> addresses, int count) throws IOException {
        IdleClients clients = new IdleClients();
        try {
            for (int i = 0; i < count; i++) {
                InetSocketAddress address = addresses.get(i % addresses.size());
                Socket socket = new Socket();
                clients.sockets.add(socket);
                socket.connect(address, 10_000);
                socket.setSoTimeout(10_000);
                apiVersions(socket, i);
            }
            return clients;
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    int size() {
        return sockets.size();
    }

    private static void apiVersions(Socket socket, int correlationId) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
        out.writeShort(18); // ApiVersions
        out.writeShort(0);
        out.writeInt(correlationId);
        out.writeShort(CLIENT_ID.length);
        out.write(CLIENT_ID);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        if (size < 4 || size > 1 << 20) {
            throw new IOException("ApiVersions response of " + size + " bytes from " + socket.getRemoteSocketAddress());
        }
        byte[] body = new byte[size];
        in.readFully(body);
        int echoed = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        if (echoed != correlationId) {
            throw new IOException("ApiVersions response with correlation id " + echoed + ", sent " + correlationId);
        }
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing left to do with it
            }
        }
        sockets.clear();
    }
}
