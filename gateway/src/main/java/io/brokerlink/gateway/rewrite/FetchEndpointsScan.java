package io.brokerlink.gateway.rewrite;

import io.netty.buffer.ByteBuf;

/**
 * Finds whether a Fetch v16+ response carries its NodeEndpoints tagged field, walking the partition headers and
 * skipping every record set by its length: the records themselves are neither read nor copied. The layout
 * walked is FetchResponse.json's for flexible versions (12+); only the top-level tagged field 0 matters.
 */
final class FetchEndpointsScan {

    private FetchEndpointsScan() {
    }

    static boolean hasNodeEndpoints(ByteBuf frame, short version) {
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
