package io.brokerlink.gateway.fuzz;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One hostile connection: the writes to make (each written and flushed on its own, so a frame split over many
 * writes arrives in pieces), how the connection ends, and what must be true afterwards.
 *
 * @param kind           the generator that made it, e.g. {@code bit-flips} (counted per run, named in failures)
 * @param detail         what exactly was done, e.g. {@code Metadata v12: int32 at 17 (topics) -> 2147483647}
 * @param awaitAnswerAfter indexes of writes after which the client waits for one more answer before writing on, as
 *                         clients do through ApiVersions and the SASL exchange; all other writes are pipelined
 */
record FuzzCase(String kind, String detail, List<byte[]> writes, Set<Integer> awaitAnswerAfter, Ending ending,
                Verdict verdict) {

    FuzzCase(String kind, String detail, List<byte[]> writes, Ending ending, Verdict verdict) {
        this(kind, detail, writes, Set.of(), ending, verdict);
    }

    FuzzCase {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(verdict, "verdict");
        writes = List.copyOf(writes);
        if (writes.isEmpty()) {
            throw new IllegalArgumentException(kind + ": a case writes at least once");
        }
        awaitAnswerAfter = Set.copyOf(awaitAnswerAfter);
        int count = writes.size();
        if (awaitAnswerAfter.stream().anyMatch(i -> i < 0 || i >= count)) {
            throw new IllegalArgumentException(kind + ": answers awaited after writes " + awaitAnswerAfter + " of "
                    + count);
        }
    }

    int bytes() {
        return writes.stream().mapToInt(w -> w.length).sum();
    }

    /** How the fuzz client leaves after writing. */
    enum Ending {
        /** shutdownOutput, then read until the peer closes or the read timeout. */
        HALF_CLOSE,
        /** read until the peer closes or the read timeout, then close normally. */
        READ_THEN_CLOSE,
        /** read briefly, then close with SO_LINGER 0: the gateway sees a reset. */
        RESET
    }

    /** What the case must lead to. Checked per connection, in the mode named. */
    sealed interface Verdict {
    }

    /** Whatever happens is acceptable for this input, as long as the gateway survives it (checked at the end). */
    record AnyOutcome() implements Verdict {
    }

    /**
     * Well-formed traffic: the client gets {@code responses} whole response frames back in either mode, however
     * the bytes were cut into writes.
     */
    record Answered(int responses) implements Verdict {
        Answered {
            if (responses < 1) {
                throw new IllegalArgumentException("an answered case expects at least one response");
            }
        }
    }

    /**
     * The far side (the gateway, or the broker behind it) closes the connection, answers to earlier well-formed
     * requests allowed.
     */
    record Closed() implements Verdict {
    }

    /**
     * Rewrite mode must itself refuse the first frame: close the connection and log a WARN naming the client's
     * address and containing {@code reason}. Portmap forwards bytes unread, so there the broker decides.
     */
    record RewriteRefuses(String reason) implements Verdict {
        RewriteRefuses {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
