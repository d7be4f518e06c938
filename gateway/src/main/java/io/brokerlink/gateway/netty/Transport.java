package io.brokerlink.gateway.netty;

import io.brokerlink.gateway.GatewayException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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

    /**
     * The buffers of every data-path channel (set as {@code ChannelOption.ALLOCATOR}): Netty's pooled allocator, not
     * 4.2's default adaptive one. With a heap of 512 MiB or less the adaptive allocator pools only buffers within its
     * size classes and allocates every larger one (a 64 KiB read) on its own; freeing it on JDK 24 and later closes a
     * shared {@code Arena}, a handshake with every thread of the JVM. Measured on the rewrite gateway with the bench's
     * 512 MiB heap: 0.47 against 0.41 ms of CPU per consumed MiB, 3.02 against 2.36 per produced MiB, consume 0.92
     * against 1.00 of direct (BENCHMARKS.md, run 9).
     */
    public static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

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
