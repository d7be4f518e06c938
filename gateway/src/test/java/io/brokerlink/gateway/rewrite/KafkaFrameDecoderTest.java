package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame decoder's splitting, its splice hand-off ({@link FrameHead}) and the read sizes it asks for. */
class KafkaFrameDecoderTest {

    private static final int HEAD = 2048;

    /** Accepts every frame whose fifth to eighth bytes are 7 (the "correlation id"), for 8 KiB or more to come. */
    private static final class Policy implements KafkaFrameDecoder.SplicePolicy {
        final List<Integer> asked = new ArrayList<>();

        @Override
        public int minSpliceBytes() {
            return 8 * 1024;
        }

        @Override
        public boolean mayPassUnchanged(ByteBuf frameStart) {
            int marker = frameStart.getInt(frameStart.readerIndex() + 4);
            asked.add(marker);
            return marker == 7;
        }
    }

    private static ByteBuf frame(int marker, int bodyBytes) {
        ByteBuf b = Unpooled.buffer(8 + bodyBytes);
        b.writeInt(4 + bodyBytes).writeInt(marker);
        for (int i = 0; i < bodyBytes; i++) {
            b.writeByte(i);
        }
        return b;
    }

    @Test
    void completeFramesComeOutWholeAndTheNextReadStopsAtTheNextHead() {
        KafkaFrameDecoder decoder = new KafkaFrameDecoder(1 << 20, new Policy());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertThat(decoder.bytesToNextHead(HEAD)).isEqualTo(HEAD);
        ByteBuf two = Unpooled.wrappedBuffer(frame(1, 100), frame(2, 50));
        ch.writeInbound(two);
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertThat(first.readableBytes()).isEqualTo(108);
        assertThat(second.readableBytes()).isEqualTo(58);
        first.release();
        second.release();
        assertThat(decoder.bytesToNextHead(HEAD)).as("nothing buffered").isEqualTo(HEAD);

        ByteBuf partial = frame(3, 1000);
        ch.writeInbound(partial.readRetainedSlice(10));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(decoder.bytesToNextHead(HEAD)).as("the rest of the frame, then the next head")
                .isEqualTo(1008 - 10 + HEAD);
        ch.writeInbound(partial.readRetainedSlice(partial.readableBytes()));
        partial.release();
        ByteBuf whole = ch.readInbound();
        assertThat(whole.readableBytes()).isEqualTo(1008);
        whole.release();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0}));
        assertThat(decoder.bytesToNextHead(HEAD)).as("fewer than four bytes: the size is not known yet")
                .isEqualTo(HEAD - 2);
        assertThatThrownBy(ch::finishAndReleaseAll).as("closed within a frame")
                .hasMessageContaining("truncated frame: the connection ended after 2 bytes");
    }

    @Test
    void aLargeFrameThePolicyAcceptsLeavesAsAHeadAndTheDecoderSkipsItsRest() {
        Policy policy = new Policy();
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20, policy));
        ByteBuf big = frame(7, 40_000);
        ch.writeInbound(big.readRetainedSlice(HEAD));
        FrameHead head = ch.readInbound();
        assertThat(head.content().readableBytes()).isEqualTo(HEAD);
        assertThat(head.remaining()).isEqualTo(40_008 - HEAD);
        head.release();
        big.release();
        // The rest went by splice; the decoder starts again at the next frame.
        ch.writeInbound(frame(5, 10));
        ByteBuf next = ch.readInbound();
        assertThat(next.getInt(4)).isEqualTo(5);
        next.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameThePolicyRefusesOrThatIsTooSmallToSpliceIsCollectedWhole() {
        Policy policy = new Policy();
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20, policy));
        ByteBuf refused = frame(6, 40_000);
        ch.writeInbound(refused.readRetainedSlice(HEAD));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(refused.readRetainedSlice(refused.readableBytes()));
        refused.release();
        ByteBuf whole = ch.readInbound();
        assertThat(whole.readableBytes()).isEqualTo(40_008);
        whole.release();

        ByteBuf small = frame(7, 9_000); // 8 KiB or less still to come after the head
        ch.writeInbound(small.readRetainedSlice(HEAD));
        ch.writeInbound(small.readRetainedSlice(small.readableBytes()));
        small.release();
        ByteBuf collected = ch.readInbound();
        assertThat(collected.readableBytes()).isEqualTo(9_008);
        collected.release();
        assertThat(policy.asked).as("asked about the large frame only, once per read").containsExactly(6);
        ch.finishAndReleaseAll();
    }
}
