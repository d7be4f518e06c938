package io.brokerlink.gateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Plain sockets that tell whether a gateway kept or ended a connection (limits, refusals, malformed input). */
public final class ConnectionProbes {

    private ConnectionProbes() {
    }

    /** A connection from {@code source} (any loopback address: a per-source limit tells sources by address). */
    public static Socket connectFrom(String source, String host, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress(host, port), 2000);
        return s;
    }

    /**
     * Opens {@code count} connections from {@code source}, one after the other, adding each to {@code opened} (the
     * caller closes them: a limit counts open connections), and says for each whether it {@link #staysOpen}.
     */
    public static List<Boolean> openFrom(String source, String host, int port, int count, List<Socket> opened)
            throws IOException {
        List<Boolean> stayedOpen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = connectFrom(source, host, port);
            opened.add(s);
            stayedOpen.add(staysOpen(s));
        }
        return stayedOpen;
    }

    /** Open: nothing arrives and the connection is not closed within 500 ms. Refused: end of stream at once. */
    public static boolean staysOpen(Socket s) throws IOException {
        s.setSoTimeout(500);
        try {
            return s.getInputStream().read() != -1;
        } catch (SocketTimeoutException quiet) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    /**
     * True once the peer ends the connection (end of stream or reset) within the socket's timeout; what arrives
     * before (a broker's answer to a frame that parsed) is read and dropped.
     */
    public static boolean closedByPeer(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() != -1) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * For a gateway with {@code idle-timeout-ms: 700}: {@code busy} makes an ApiVersions round trip every 250 ms for
     * 2 s (never that long quiet) while {@code idle} sends nothing; then {@code idle} has been closed and {@code busy}
     * is still served.
     */
    public static void assertIdleClosedAndBusyServed(Socket idle, Socket busy) throws IOException,
            InterruptedException {
        busy.setSoTimeout(5000);
        long start = System.nanoTime();
        for (int correlationId = 1; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2); correlationId++) {
            KafkaFrames.apiVersionsRoundTrip(busy, correlationId);
            Thread.sleep(250);
        }
        idle.setSoTimeout(5000);
        assertThat(idle.getInputStream().read()).as("idle connection closed by the gateway").isEqualTo(-1);
        KafkaFrames.apiVersionsRoundTrip(busy, 1000);
    }
}
