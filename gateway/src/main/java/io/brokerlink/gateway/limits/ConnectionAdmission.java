package io.brokerlink.gateway.limits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts client connections over all listeners of one gateway, in total and per source IP address, and refuses the
 * ones beyond {@code max-connections} or {@code max-connections-per-source}. Thread-safe: listeners accept on
 * several event loops.
 */
public final class ConnectionAdmission {

    private final int maxTotal;
    private final Optional<Integer> maxPerSource;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();

    public ConnectionAdmission(int maxTotal, Optional<Integer> maxPerSource) {
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
    }

    /** Admits or refuses the connection from {@code remote}. An admitted connection must be released once. */
    public Admission admit(SocketAddress remote) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return new Admission.Refused(Limit.MAX_CONNECTIONS, maxTotal);
        }
        if (maxPerSource.isEmpty() || !(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return new Admission.Admitted(total::decrementAndGet);
        }
        InetAddress source = inet.getAddress();
        AtomicInteger count = perSource.compute(source, (a, c) -> {
            AtomicInteger n = c == null ? new AtomicInteger() : c;
            n.incrementAndGet();
            return n;
        });
        if (count.get() > maxPerSource.get()) {
            releaseSource(source);
            total.decrementAndGet();
            return new Admission.Refused(Limit.MAX_CONNECTIONS_PER_SOURCE, maxPerSource.get());
        }
        return new Admission.Admitted(() -> {
            releaseSource(source);
            total.decrementAndGet();
        });
    }

    /** Connections admitted and not yet released. */
    public int open() {
        return total.get();
    }

    /** Connections open now from {@code source} (0 when not tracked). */
    public int openFrom(InetAddress source) {
        AtomicInteger n = perSource.get(source);
        return n == null ? 0 : n.get();
    }

    private void releaseSource(InetAddress source) {
        // Remove the entry at zero, inside compute, so that a flood of distinct sources does not grow the map forever.
        perSource.computeIfPresent(source, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }
}
