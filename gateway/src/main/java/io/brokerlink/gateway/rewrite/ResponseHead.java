package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * The start of a response frame that is forwarded without being held whole: the bytes of it received so far (size
 * prefix and header included) and how many bytes of the frame are still to come from the broker's socket. Whoever
 * takes it forwards the content and then has the remaining bytes spliced to the client.
 */
final class ResponseHead extends DefaultByteBufHolder {

    private final int remaining;

    ResponseHead(ByteBuf received, int remaining) {
        super(received);
        if (remaining <= 0) {
            throw new IllegalArgumentException("a response head leaves bytes to come, not " + remaining);
        }
        this.remaining = remaining;
    }

    int remaining() {
        return remaining;
    }
}
