package io.brokerlink.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.NotYetConnectedException;
import org.junit.jupiter.api.Test;

/**
 * The failures GatewayFuzzIT saw epoll report for peers that left (each had been logged as a gateway fault, with a
 * stack trace, once per connection) are peer I/O; a fault of the gateway's own code is not.
 */
class PeerIoTest {

    @Test
    void socketGoneFromEpollWhenAutoReadIsTurnedOnIsPeerIo() {
        // setAutoRead(true) after the upstream connected, on a client that had reset meanwhile
        // (Netty's NativeIoException needs the native library loaded; the classification looks only at the type.)
        IOException enoent = new IOException("epoll_ctl(..) failed with error(-2): No such file or directory");
        assertThat(PeerIo.isPeerIo(new UncheckedIOException(enoent))).isTrue();
    }

    @Test
    void readingASocketWhoseConnectNeverCompletedIsPeerIo() {
        // epollInReady on an upstream channel whose connect had failed: recv gives ENOTCONN
        assertThat(PeerIo.isPeerIo(new NotYetConnectedException())).isTrue();
    }

    @Test
    void resetsAndBrokenPipesArePeerIo() {
        assertThat(PeerIo.isPeerIo(new IOException("Connection reset by peer"))).isTrue();
    }

    @Test
    void aBugOfTheGatewayIsNot() {
        assertThat(PeerIo.isPeerIo(new IndexOutOfBoundsException("index: -2147483605, length: 2"))).isFalse();
        assertThat(PeerIo.isPeerIo(new IllegalStateException("no rewrite for api key 99",
                new IllegalArgumentException()))).isFalse();
    }
}
