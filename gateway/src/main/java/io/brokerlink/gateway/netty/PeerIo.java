package io.brokerlink.gateway.netty;

import java.io.IOException;
import java.nio.channels.NotYetConnectedException;

/**
 * Tells a peer's I/O failure (reset, broken pipe, a socket gone from epoll because the peer left) from a fault of the
 * gateway. The first is ordinary on the internet and logged at DEBUG; only the second deserves a WARN with a stack.
 */
public final class PeerIo {

    private PeerIo() {
    }

    /**
     * Whether {@code cause} is, or wraps, an {@link IOException}, or is the socket error ENOTCONN. Netty's epoll
     * transport reports a socket that the peer already closed as an {@link java.io.UncheckedIOException} from
     * {@code setAutoRead(true)} ({@code epoll_ctl(..) failed with error(-2)}), and a read on a socket whose connect
     * never completed as {@link NotYetConnectedException} (not an IOException): both are the peer's doing.
     */
    public static boolean isPeerIo(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof NotYetConnectedException) {
                return true;
            }
        }
        return false;
    }
}
