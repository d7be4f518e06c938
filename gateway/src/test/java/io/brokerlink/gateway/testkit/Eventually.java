package io.brokerlink.gateway.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that real brokers, gateways and health checks reach in their own time. */
public final class Eventually {

    /** Long enough for a 3-node cluster on a loaded 2-core machine, short enough to fail a test within a minute. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private Eventually() {
    }

    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, LIMIT, () -> what);
    }

    public static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        await(condition, LIMIT, what);
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} (computed then, so it may show state). */
    public static void await(BooleanSupplier condition, Duration limit, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for: " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
