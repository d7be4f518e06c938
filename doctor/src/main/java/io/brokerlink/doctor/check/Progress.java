package io.brokerlink.doctor.check;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints {@code ... step} on stderr for a step still running after a second, so a slow step (a broker timing out)
 * never looks like a hang; quick steps print nothing.
 */
final class Progress implements AutoCloseable {

    interface Step<T> extends Callable<T> {
    }

    private final PrintStream out;
    private final ScheduledExecutorService timer;

    Progress(PrintStream out) {
        this.out = out;
        this.timer = out == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "doctor-progress");
            t.setDaemon(true);
            return t;
        });
    }

    <T> T step(String label, Step<T> step) throws Exception {
        if (timer == null) {
            return step.call();
        }
        long start = System.nanoTime();
        boolean[] shown = {false};
        ScheduledFuture<?> notice = timer.schedule(() -> {
            synchronized (shown) {
                shown[0] = true;
                out.println("... " + label);
            }
        }, 1, TimeUnit.SECONDS);
        try {
            return step.call();
        } finally {
            notice.cancel(false);
            synchronized (shown) {
                if (shown[0]) {
                    out.printf("... %s: %.1f s%n", label, (System.nanoTime() - start) / 1e9);
                }
            }
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
