package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.Test;

/**
 * The scan that decides whether a Fetch or Produce response needs decoding, against responses encoded by
 * kafka-clients' own generated classes at every version it walks: full of the fields it must skip (record sets,
 * record errors, error messages, current-leader tags, other tagged fields), with and without NodeEndpoints.
 */
class NodeEndpointsScanTest {

    private static ByteBuf frame(ApiKeys api, short version, ApiMessage body) {
        ByteBuffer encoded = RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(42),
                api.responseHeaderVersion(version), body, version);
        ByteBuf frame = Unpooled.buffer(4 + encoded.remaining());
        return frame.writeInt(encoded.remaining()).writeBytes(encoded);
    }

    private static ProduceResponseData produce(boolean endpoints) {
        return produce(endpoints, true);
    }

    private static ProduceResponseData produce(boolean endpoints, boolean leaderHints) {
        ProduceResponseData d = new ProduceResponseData().setThrottleTimeMs(7);
        for (int t = 0; t < 2; t++) {
            ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse()
                    .setName("topic-" + t).setTopicId(Uuid.randomUuid());
            for (int p = 0; p < 3; p++) {
                ProduceResponseData.PartitionProduceResponse partition = new ProduceResponseData
                        .PartitionProduceResponse().setIndex(p).setBaseOffset(1000L * p).setLogStartOffset(5)
                        .setErrorMessage(p == 1 ? "some error text" : null);
                partition.recordErrors().add(new ProduceResponseData.BatchIndexAndErrorMessage().setBatchIndex(3)
                        .setBatchIndexErrorMessage("bad record"));
                if (p == 2 && leaderHints) {
                    partition.currentLeader().setLeaderId(2).setLeaderEpoch(9); // tagged field 0 of a partition
                }
                topic.partitionResponses().add(partition);
            }
            d.responses().add(topic);
        }
        if (endpoints) {
            d.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(2).setHost("b2.internal")
                    .setPort(9092).setRack("az1"));
        }
        return d;
    }

    private static FetchResponseData fetch(boolean endpoints) {
        FetchResponseData d = new FetchResponseData().setSessionId(3);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopicId(Uuid.randomUuid());
        for (int p = 0; p < 3; p++) {
            FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData().setPartitionIndex(p)
                    .setHighWatermark(100).setRecords(MemoryRecords.withRecords(Compression.NONE,
                            new SimpleRecord(new byte[300]), new SimpleRecord(new byte[20])));
            partition.setAbortedTransactions(new java.util.ArrayList<>(java.util.List.of(
                    new FetchResponseData.AbortedTransaction().setProducerId(1).setFirstOffset(2))));
            if (p == 1) {
                partition.currentLeader().setLeaderId(1).setLeaderEpoch(4);
            }
            topic.partitions().add(partition);
        }
        d.responses().add(topic);
        if (endpoints) {
            d.nodeEndpoints().add(new FetchResponseData.NodeEndpoint().setNodeId(1).setHost("b1.internal")
                    .setPort(9092));
        }
        return d;
    }

    @Test
    void produceResponsesWithAndWithoutEndpointsAtEveryScannedVersion() {
        for (short v = 10; v <= ApiKeys.PRODUCE.latestVersion(); v++) {
            assertThat(NodeEndpointsScan.produceHasNodeEndpoints(frame(ApiKeys.PRODUCE, v, produce(true)), v))
                    .as("v%d with endpoints", v).isTrue();
            assertThat(NodeEndpointsScan.produceHasNodeEndpoints(frame(ApiKeys.PRODUCE, v, produce(false)), v))
                    .as("v%d without", v).isFalse();
        }
        assertThat(NodeEndpointsScan.produceHasNodeEndpoints(frame(ApiKeys.PRODUCE, (short) 9, produce(false, false)),
                (short) 9)).as("before v10 there is no such field").isFalse();
    }

    @Test
    void fetchResponsesWithAndWithoutEndpointsAtEveryScannedVersion() {
        for (short v = 16; v <= ApiKeys.FETCH.latestVersion(); v++) {
            assertThat(NodeEndpointsScan.fetchHasNodeEndpoints(frame(ApiKeys.FETCH, v, fetch(true)), v))
                    .as("v%d with endpoints", v).isTrue();
            assertThat(NodeEndpointsScan.fetchHasNodeEndpoints(frame(ApiKeys.FETCH, v, fetch(false)), v))
                    .as("v%d without", v).isFalse();
        }
    }

    @Test
    void aTruncatedResponseIsAnErrorNotAnAnswer() {
        ByteBuf whole = frame(ApiKeys.PRODUCE, (short) 11, produce(true));
        ByteBuf cut = whole.slice(0, whole.readableBytes() / 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeEndpointsScan.produceHasNodeEndpoints(cut,
                (short) 11)).isInstanceOf(IllegalStateException.class);
    }
}
