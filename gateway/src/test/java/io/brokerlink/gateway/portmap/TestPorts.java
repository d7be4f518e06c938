package io.brokerlink.gateway.portmap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports found at test time, in this session's loopback range 127.0.20.x. */
final class TestPorts {

    private TestPorts() {
    }

    /** {@code count} consecutive ports free on every one of {@code addresses}. */
    static int freeRun(List<String> addresses, int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (allFree(addresses, base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports on " + addresses);
    }

    static int freeRun(String address, int count) {
        return freeRun(List.of(address), count);
    }

    private static boolean allFree(List<String> addresses, int base, int count) {
        for (String address : addresses) {
            for (int port = base; port < base + count; port++) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(address, port));
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
