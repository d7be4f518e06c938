package io.brokerlink.gateway.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Deterministic port plans need consecutive ports: find a run of free ones on one address at test time. */
public final class FreePorts {

    private FreePorts() {
    }

    public static int consecutive(String host, int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + (int) (Math.random() * 30000);
            boolean free = true;
            for (int p = base; p < base + count && free; p++) {
                free = isFree(host, p);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on " + host);
    }

    public static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
