package io.brokerlink.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.Test;

/** The fuzz test's own parts: length fields found where the schema puts them, and a seed that replays its cases. */
class FuzzCasesTest {

    static RequestFrame frame(ApiKeys api, short version, ApiMessage body) {
        ByteBuffer b = RequestUtils.serialize(new RequestHeaderData().setRequestApiKey(api.id)
                        .setRequestApiVersion(version).setCorrelationId(5).setClientId("cid"),
                api.requestHeaderVersion(version), body, version);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return RequestFrame.withBody(bytes);
    }

    @Test
    void lengthFieldsOfAMetadataRequestAreWhereItsSchemaPutsThem() {
        RequestFrame f = frame(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("alpha"),
                new MetadataRequestData.MetadataRequestTopic().setName("be"))));
        List<LengthFields.LengthField> fields = LengthFields.of(f);
        // header v2: size(4) key(2) version(2) correlation(4), client_id int16 length at 12, "cid", tags at 17
        assertThat(fields.get(0)).isEqualTo(new LengthFields.LengthField(12, LengthFields.Width.INT16, 2,
                "header.client_id"));
        assertThat(fields.get(1)).isEqualTo(new LengthFields.LengthField(17, LengthFields.Width.UVARINT, 1,
                "header._tagged_fields(tags)"));
        LengthFields.LengthField topics = fields.get(2);
        assertThat(topics.offset()).isEqualTo(18);
        assertThat(topics.width()).isEqualTo(LengthFields.Width.UVARINT);
        assertThat(f.bytes()[topics.offset()]).as("2 topics, compact: n+1").isEqualTo((byte) 3);
        // topic[0]: topic_id (16 bytes) at 19, then the name's compact length at 35: "alpha" is 5 -> 6
        LengthFields.LengthField name = fields.stream().filter(x -> x.name().equals("topics[0].name")).findFirst()
                .orElseThrow();
        assertThat(name.offset()).isEqualTo(35);
        assertThat(f.bytes()[name.offset()]).isEqualTo((byte) 6);
    }

    @Test
    void theSameSeedMakesTheSameCases() {
        RequestFrame apiVersions = frame(ApiKeys.API_VERSIONS, (short) 4, new ApiVersionsRequestData()
                .setClientSoftwareName("fuzz").setClientSoftwareVersion("1"));
        RequestFrame metadata = frame(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("alpha"))));
        Corpus corpus = new Corpus(List.of(List.of(apiVersions, metadata, metadata)));
        FuzzTarget target = new FuzzTarget(FuzzTarget.Mode.REWRITE, "b1", new InetSocketAddress("127.0.0.1", 1), true);
        List<String> first = render(new FuzzCases(corpus, 4096, "u", "p", 42), 42, target);
        List<String> second = render(new FuzzCases(corpus, 4096, "u", "p", 42), 42, target);
        List<String> other = render(new FuzzCases(corpus, 4096, "u", "p", 43), 43, target);
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first.stream().map(c -> c.substring(0, c.indexOf(' '))).distinct().count())
                .as("kinds among 500 cases").isGreaterThanOrEqualTo(17);
    }

    static List<String> render(FuzzCases cases, long seed, FuzzTarget target) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            FuzzCase c = cases.next(r, target);
            StringBuilder sb = new StringBuilder(c.kind()).append(' ').append(c.detail()).append(' ')
                    .append(c.ending()).append(' ').append(c.verdict()).append(' ')
                    .append(new java.util.TreeSet<>(c.awaitAnswerAfter()));
            c.writes().forEach(w -> sb.append(' ').append(java.util.HexFormat.of().formatHex(w)));
            out.add(sb.toString());
        }
        return out;
    }
}
