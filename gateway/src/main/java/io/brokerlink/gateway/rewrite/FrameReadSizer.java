package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.function.BooleanSupplier;

/**
 * Sizes the reads from a socket so that a large frame is not read whole: a read ends at most {@link #HEAD_BYTES}
 * into a frame not seen yet. The frame decoder then sees the frame's head while its bulk is still in the kernel, from
 * where it can be spliced to the other socket. On a client's socket that is a Produce request's record batches
 * (without this, a 32 KiB request usually arrives complete in one 64 KiB read, and splicing never starts); on a
 * broker's socket a Fetch response's records (without this, the first 64 KiB of each response pass through user
 * space: about 3 % of a 2 MiB response, copied in and out).
 *
 * <p>Netty's splice also takes its chunk size from {@link Handle#guess()}: while a request is spliced the guess is
 * a pipe's worth, not the next head. Otherwise it is the adaptive guess (so a stream of small requests is still read
 * in few calls), capped by what the decoder says the next head needs. One instance per channel.
 */
final class FrameReadSizer implements RecvByteBufAllocator {

    /**
     * Enough for any Produce request's header, client id, transactional id and acks in practice (they take about 50
     * bytes with the Java client's ids); a request whose acks lie further in is simply collected and copied.
     */
    static final int HEAD_BYTES = 2048;

    /** The default pipe capacity: one splice(2) into a pipe moves at most this much. */
    private static final int PIPE_BYTES = 64 * 1024;

    private final AdaptiveRecvByteBufAllocator adaptive = new AdaptiveRecvByteBufAllocator();
    private final KafkaFrameDecoder frames;
    private final BooleanSupplier splicing;

    /** @param splicing whether a frame read from this channel is being spliced right now */
    FrameReadSizer(KafkaFrameDecoder frames, BooleanSupplier splicing) {
        this.frames = frames;
        this.splicing = splicing;
    }

    @Override
    public Handle newHandle() {
        return new SizedHandle((ExtendedHandle) adaptive.newHandle());
    }

    private final class SizedHandle implements ExtendedHandle {

        private final ExtendedHandle adaptiveHandle;

        SizedHandle(ExtendedHandle adaptiveHandle) {
            this.adaptiveHandle = adaptiveHandle;
        }

        @Override
        public int guess() {
            if (splicing.getAsBoolean()) {
                return PIPE_BYTES;
            }
            return Math.min(adaptiveHandle.guess(), frames.bytesToNextHead(HEAD_BYTES));
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public void reset(ChannelConfig config) {
            adaptiveHandle.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            adaptiveHandle.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            adaptiveHandle.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return adaptiveHandle.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            adaptiveHandle.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return adaptiveHandle.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return adaptiveHandle.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return adaptiveHandle.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            adaptiveHandle.readComplete();
        }
    }
}
