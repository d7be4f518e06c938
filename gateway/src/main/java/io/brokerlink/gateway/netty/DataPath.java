package io.brokerlink.gateway.netty;

import io.brokerlink.gateway.GatewayException;
import java.util.Locale;

/**
 * How a gateway moves the bytes it does not need to look at (portmap: all of them; rewrite: the bodies of responses
 * it never rewrites). {@link #SPLICE}: socket to pipe to socket with splice(2), the bytes never enter user space
 * (native epoll only). {@link #COPY}: read into pooled buffers and written out again.
 * {@code -Dbrokerlink.splice=false} forces {@link #COPY} on epoll too, for comparison runs or should splicing
 * misbehave on some kernel.
 */
public enum DataPath {
    SPLICE,
    COPY;

    public static final String PROPERTY = "brokerlink.splice";

    /** {@link #SPLICE} on epoll unless switched off; {@link #COPY} on NIO (Java has no splice). */
    public static DataPath of(Transport transport) {
        String value = System.getProperty(PROPERTY, "true").trim();
        boolean wanted = switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new GatewayException("-D" + PROPERTY + "=" + value
                    + " is not a valid setting; use true (splice on epoll, the default) or false (copy through"
                    + " user space)");
        };
        return wanted && transport.isEpoll() ? SPLICE : COPY;
    }
}
