package io.brokerlink.gateway.netty;

import io.brokerlink.gateway.GatewayException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/**
 * The socket implementation: Linux's native epoll when it loads (fewer copies, splice support, edge-triggered
 * I/O), Java NIO otherwise. {@code -Dbrokerlink.transport=nio} forces NIO (for comparison runs).
 */
public record Transport(String name, Supplier<IoHandlerFactory> ioHandler,
                        Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    private static final Transport EPOLL = new Transport("epoll", EpollIoHandler::newFactory,
            EpollServerSocketChannel.class, EpollSocketChannel.class);
    private static final Transport NIO = new Transport("nio", NioIoHandler::newFactory,
            NioServerSocketChannel.class, NioSocketChannel.class);

    /** Epoll where available and not switched off, else NIO. */
    public static Transport best() {
        if (!"nio".equalsIgnoreCase(System.getProperty("brokerlink.transport")) && Epoll.isAvailable()) {
            return EPOLL;
        }
        return NIO;
    }

    public static Transport nio() {
        return NIO;
    }

    public boolean isEpoll() {
        return this == EPOLL;
    }

    public static final String EVENT_LOOPS_PROPERTY = "brokerlink.event-loops";

    /**
     * How many event loops carry the connections: {@code -Dbrokerlink.event-loops=N} if given (for comparison
     * runs), else {@code defaultCount}.
     */
    public static int eventLoops(int defaultCount) {
        String value = System.getProperty(EVENT_LOOPS_PROPERTY);
        if (value == null) {
            return defaultCount;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new GatewayException("-D" + EVENT_LOOPS_PROPERTY + "=" + value
                + " is not a thread count; use 1 to 256 (default: one per CPU)");
    }

    /** An event loop group whose threads are daemon threads named {@code prefix-N}. */
    public EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), ioHandler.get());
    }
}
