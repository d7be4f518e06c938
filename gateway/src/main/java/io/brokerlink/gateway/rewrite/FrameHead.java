package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * The start of a frame that is forwarded without being held whole: the bytes of it received so far (size prefix
 * and header included) and how many bytes of the frame are still to come on the same socket. Whoever takes it
 * forwards the content and then has the remaining bytes spliced to the other side of the connection pair: a
 * response's body to the client, a Produce request's record batches to the broker.
 */
final class FrameHead extends DefaultByteBufHolder {

    private final int remaining;

    FrameHead(ByteBuf received, int remaining) {
        super(received);
        if (remaining <= 0) {
            throw new IllegalArgumentException("a frame head leaves bytes to come, not " + remaining);
        }
        this.remaining = remaining;
    }

    int remaining() {
        return remaining;
    }
}
