package io.brokerlink.gateway.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A broker gone wrong, for tests: accepts on a server socket, connects each client to a real broker, copies the
 * client's bytes to the broker unchanged and hands the broker's byte stream to a {@link Tamper}, which decides what
 * the client gets. Both sockets close when the tamper returns or either side closes.
 */
public final class TamperingRelay {

    /** Reads the broker's bytes and writes what the client should see instead. */
    @FunctionalInterface
    public interface Tamper {
        void relay(DataInputStream fromBroker, DataOutputStream toClient) throws IOException;
    }

    private TamperingRelay() {
    }

    /** Serves {@code server} until it is closed, on daemon threads. */
    public static void start(ServerSocket server, String brokerHost, int brokerPort, Tamper tamper) {
        daemon("relay-accept-" + server.getLocalPort(), () -> {
            while (!server.isClosed()) {
                Socket client;
                Socket broker;
                try {
                    client = server.accept();
                    broker = new Socket(brokerHost, brokerPort);
                } catch (IOException e) {
                    return;
                }
                daemon("relay-up", () -> {
                    try {
                        client.getInputStream().transferTo(broker.getOutputStream());
                    } catch (IOException closed) {
                        // either side closed
                    }
                });
                daemon("relay-down", () -> {
                    try (client; broker) {
                        tamper.relay(new DataInputStream(broker.getInputStream()),
                                new DataOutputStream(client.getOutputStream()));
                    } catch (IOException closed) {
                        // either side closed
                    }
                });
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
