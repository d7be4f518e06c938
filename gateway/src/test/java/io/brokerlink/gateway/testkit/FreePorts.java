package io.brokerlink.gateway.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Deterministic port plans need consecutive ports: find a block of free ones at test time, on one address or the same
 * block on several (a gateway and the forwarder in front of it, or every node of a cluster whose listeners are
 * written into {@code advertised.listeners} before it starts).
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int consecutive(String host, int count) {
        return consecutiveOnAll(List.of(host), count);
    }

    /** The first of {@code count} consecutive ports that are free on every one of {@code hosts}. */
    public static int consecutiveOnAll(int count, String... hosts) {
        return consecutiveOnAll(List.of(hosts), count);
    }

    public static int consecutiveOnAll(List<String> hosts, int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 50_000);
            if (allFree(hosts, base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive ports free on all of " + hosts);
    }

    public static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean allFree(List<String> hosts, int base, int count) {
        for (String host : hosts) {
            for (int port = base; port < base + count; port++) {
                if (!isFree(host, port)) {
                    return false;
                }
            }
        }
        return true;
    }
}
