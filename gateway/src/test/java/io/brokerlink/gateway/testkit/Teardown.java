package io.brokerlink.gateway.testkit;

import java.util.Arrays;
import java.util.List;

/**
 * Closes what a test class started, in the order given (a gateway before the cluster behind it, so it drains
 * against live brokers), skipping what never started and closing the rest even when one close fails.
 */
public final class Teardown {

    private Teardown() {
    }

    public static void closeAll(AutoCloseable... resources) throws Exception {
        closeAll(Arrays.asList(resources));
    }

    public static void closeAll(List<? extends AutoCloseable> resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
