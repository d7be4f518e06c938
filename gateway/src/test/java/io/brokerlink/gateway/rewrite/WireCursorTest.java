package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Lengths read from the wire are the peer's word: none of them may move the cursor outside the frame. */
class WireCursorTest {

    @Test
    void aLengthNearIntegerMaxValueIsRefusedInsteadOfWrappingAroundTheCheck() {
        ByteBuf frame = Unpooled.wrappedBuffer(new byte[64]);
        try {
            WireCursor c = new WireCursor(frame, 43);
            assertThatThrownBy(() -> c.skip(Integer.MAX_VALUE - 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frame ends at offset 64");
            assertThat(c.position()).isEqualTo(43);
        } finally {
            frame.release();
        }
    }

    /**
     * Found by GatewayFuzzIT: a Produce v13 whose transactional_id length (a compact varint) was replaced by
     * 2147483647 made the acks=0 check read at index -2147483605; the IndexOutOfBoundsException escaped the handler,
     * logged a stack trace and leaked the frame.
     */
    @Test
    void aProduceWithAnAbsurdTransactionalIdLengthIsNotTakenForAcksZero() {
        ByteBuf frame = Unpooled.buffer();
        try {
            frame.writeInt(0); // size, set below
            frame.writeShort(0).writeShort(13).writeInt(7); // Produce v13, correlation id 7
            frame.writeShort(4).writeBytes("fuzz".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // client_id
            frame.writeByte(0); // no header tags
            frame.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}); // 2^31-1
            frame.writeShort(-1).writeInt(30_000).writeByte(1); // acks=all, timeout, no topics
            frame.setInt(0, frame.readableBytes() - 4);

            assertThat(ClientConnection.producesWithoutResponse(frame, (short) 13)).isFalse();
        } finally {
            frame.release();
        }
    }
}
