package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;

/**
 * Finds whether a Fetch v16+ or Produce v10+ response carries its NodeEndpoints tagged field (KIP-951 leader hints,
 * the only addresses in these responses) without decoding it: the walk reads the partition headers and skips every
 * record set, error message and tagged field by its length, so nothing is copied or allocated. Almost every such
 * response has no endpoints (they come only after a leader moved), and then it is forwarded as it is. The layouts
 * walked are FetchResponse.json's and ProduceResponse.json's for flexible versions; only the top-level tagged
 * field 0 matters.
 */
final class NodeEndpointsScan {

    private NodeEndpointsScan() {
    }

    static boolean fetchHasNodeEndpoints(ByteBuf frame, short version) {
        if (version < 16) {
            return false;
        }
        WireCursor c = new WireCursor(frame, frame.readerIndex() + 4);
        c.int32();               // correlation id (response header v1)
        c.skipTaggedFields();
        c.int32();               // throttle_time_ms
        c.int16();               // error_code
        c.int32();               // session_id
        int topics = c.unsignedVarint() - 1;
        for (int t = 0; t < topics; t++) {
            c.skip(16);          // topic_id
            int partitions = c.unsignedVarint() - 1;
            for (int p = 0; p < partitions; p++) {
                c.skip(4 + 2 + 8 + 8 + 8); // index, error, high watermark, last stable offset, log start offset
                int aborted = c.unsignedVarint() - 1;
                for (int a = 0; a < aborted; a++) {
                    c.skip(16);  // producer_id, first_offset
                    c.skipTaggedFields();
                }
                c.int32();       // preferred_read_replica
                c.skipCompact(); // records: skipped by length, never touched
                c.skipTaggedFields();
            }
            c.skipTaggedFields();
        }
        return topLevelTag0(c);
    }

    static boolean produceHasNodeEndpoints(ByteBuf frame, short version) {
        if (version < 10) {
            return false;
        }
        WireCursor c = new WireCursor(frame, frame.readerIndex() + 4);
        c.int32();               // correlation id (response header v1)
        c.skipTaggedFields();
        int topics = c.unsignedVarint() - 1;
        for (int t = 0; t < topics; t++) {
            if (version >= 13) {
                c.skip(16);      // topic_id
            } else {
                c.skipCompact(); // name
            }
            int partitions = c.unsignedVarint() - 1;
            for (int p = 0; p < partitions; p++) {
                c.skip(4 + 2 + 8 + 8 + 8); // index, error, base offset, log append time, log start offset
                int recordErrors = c.unsignedVarint() - 1;
                for (int e = 0; e < recordErrors; e++) {
                    c.int32();   // batch_index
                    c.skipCompact(); // batch_index_error_message
                    c.skipTaggedFields();
                }
                c.skipCompact(); // error_message
                c.skipTaggedFields(); // current_leader (tag 0) included: a leader id and epoch, no address
            }
            c.skipTaggedFields();
        }
        c.int32();               // throttle_time_ms
        return topLevelTag0(c);
    }

    /** Whether the message's top-level tagged fields hold tag 0 with a non-empty array. */
    private static boolean topLevelTag0(WireCursor c) {
        int tagged = c.unsignedVarint();
        for (int i = 0; i < tagged; i++) {
            int tag = c.unsignedVarint();
            int size = c.unsignedVarint();
            if (tag == 0) {
                return size > 1; // an empty compact array is one byte
            }
            c.skip(size);
        }
        return false;
    }
}
