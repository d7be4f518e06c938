package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.netty.DataPath;
import io.brokerlink.gateway.netty.Transport;
import io.brokerlink.gateway.testkit.Eventually;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.NewTopics;
import io.brokerlink.gateway.testkit.TamperingRelay;
import io.brokerlink.sandbox.SandboxCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rewrite mode forwarding large responses it never rewrites, and the record batches of Produce requests, by
 * splice(2) (epoll): a real 3-node cluster, real clients, real TCP. With {@code fetch-endpoints: cap-v15} Fetch
 * bodies bypass user space, every record arrives intact, and the gateway's byte counters equal what the client itself
 * counted; with {@code scan} (Fetch v16+, whose responses may need a rewrite) and on NIO nothing is spliced and the
 * same holds. Produce requests (acks=all and acks=0) are spliced after their head, every record lands in the topic,
 * and the counters agree with the producer's. A graceful shutdown waits for a response half spliced into a client
 * that reads slowly, and for a request half spliced from a client that writes slowly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteSpliceIT {

    private static final String TOPIC = "bulk";
    private static final int RECORDS = 900;
    private static final int VALUE_BYTES = 16 * 1024;

    private SandboxCluster cluster;
    private long expectedCrcSum;
    private final Map<Integer, Integer> recordsPerPartition = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.120.1").start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            NewTopics.createAndAwait(admin, new NewTopic(TOPIC, 3, (short) 1));
        }
        Map<String, Object> props = Map.of("bootstrap.servers", cluster.internalBootstrap(),
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName(), "linger.ms", 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS; i++) {
                byte[] value = value(i);
                expectedCrcSum += crc(value);
                int partition = i % 3;
                recordsPerPartition.merge(partition, 1, Integer::sum);
                producer.send(new ProducerRecord<>(TOPIC, partition, null, value));
            }
            producer.flush();
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] value(int i) {
        byte[] value = new byte[VALUE_BYTES];
        new Random(i).nextBytes(value);
        return value;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private RewriteGateway gateway(String address, int base, FetchEndpointsMode fetch, Transport transport,
                                   DataPath dataPath, MeterRegistry registry, Duration drain) {
        return gateway(address, base, List.of(), fetch, transport, dataPath, registry, drain);
    }

    private RewriteGateway gateway(String address, int base, List<RewriteConfig.BrokerMapping> mappings,
                                   FetchEndpointsMode fetch, Transport transport, DataPath dataPath,
                                   MeterRegistry registry, Duration drain) {
        RewriteConfig config = new RewriteConfig(new CommonSettings(AdminConfig.DEFAULT, drain, 10_000),
                Arrays.stream(cluster.internalBootstrap().split(",")).map(s -> HostPort.parse(s, 1)).toList(),
                address, mappings, new RewriteConfig.DynamicRange(1, base, 0, 3),
                new RewriteConfig.Advertised(null, address, Map.of()), Duration.ofSeconds(30), null, 0, fetch);
        return RewriteGateway.start(config, registry, transport, dataPath);
    }

    @Test
    void capV15OnEpollSplicesFetchBodiesAndEveryRecordAndByteArrives() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        consumeEverythingThrough("127.0.120.40", FetchEndpointsMode.CAP_V15, Transport.best(), DataPath.SPLICE,
                registry);
        assertThat(spliced(registry, "Fetch")).as("Fetch responses spliced").isGreaterThan(0);
        // A spliced response's latency is recorded when its last byte is out, as for any other response.
        assertThat(registry.get("brokerlink.gateway.request.latency").tag("api", "Fetch").timer().count())
                .isGreaterThanOrEqualTo((long) spliced(registry, "Fetch"));
    }

    @Test
    void scanKeepsFetchResponsesWholeBecauseTheirEndMayNeedARewrite() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        consumeEverythingThrough("127.0.120.41", FetchEndpointsMode.SCAN, Transport.best(),
                DataPath.of(Transport.best()), registry);
        assertThat(spliced(registry, "Fetch")).isZero();
    }

    @Test
    void onNioNothingIsSplicedAndTheCountersStillAgreeWithTheClient() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        consumeEverythingThrough("127.0.120.42", FetchEndpointsMode.CAP_V15, Transport.nio(), DataPath.COPY,
                registry);
        assertThat(registry.find("brokerlink.gateway.responses.spliced").counters()).isEmpty();
    }

    /**
     * One consumer reads the whole topic through the gateway with large fetches (multi-MiB responses); then the
     * gateway's byte counters, summed over its listeners, must equal the consumer's own network byte counts (the
     * consumer has no other connection). The consumer is assigned (no group: no heartbeats) and long-polls 30 s at
     * the end, so once it has read every record the traffic stops and both sides can be compared.
     */
    private void consumeEverythingThrough(String address, FetchEndpointsMode fetch, Transport transport,
                                          DataPath dataPath, SimpleMeterRegistry registry) throws Exception {
        int base = FreePorts.consecutive(address, 3);
        long pooledAllocations = pooledDirectAllocations();
        try (RewriteGateway gateway = gateway(address, base, fetch, transport, dataPath, registry,
                Duration.ofSeconds(5))) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", address + ":" + base);
            props.put("key.deserializer", ByteArrayDeserializer.class.getName());
            props.put("value.deserializer", ByteArrayDeserializer.class.getName());
            props.put("max.partition.fetch.bytes", 8 << 20);
            props.put("fetch.max.bytes", 32 << 20);
            props.put("fetch.max.wait.ms", 30_000);
            props.put("request.timeout.ms", 60_000);
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
            try {
                assertThat(readAll(consumer, TOPIC, 90)).as("sum of the values' CRC32").isEqualTo(expectedCrcSum);

                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!(clientBytes(consumer, "incoming-byte-total") == gatewayBytes(registry, "to_client")
                        && clientBytes(consumer, "outgoing-byte-total") == gatewayBytes(registry, "to_upstream"))
                        && System.nanoTime() < waitUntil) {
                    assertThat(consumer.poll(Duration.ofMillis(200))).isEmpty();
                }
                assertThat(gatewayBytes(registry, "to_client")).as("bytes to the client, gateway vs client")
                        .isEqualTo(clientBytes(consumer, "incoming-byte-total"));
                assertThat(gatewayBytes(registry, "to_upstream")).as("bytes to the brokers, gateway vs client")
                        .isEqualTo(clientBytes(consumer, "outgoing-byte-total"));
                assertThat(gatewayBytes(registry, "to_client")).isGreaterThan((long) RECORDS * VALUE_BYTES);
                // Its buffers come from Netty's pooled allocator (Transport.BUFFERS; nothing else in this JVM uses it),
                // not from 4.2's adaptive default, which frees every read over its size classes on its own.
                assertThat(pooledDirectAllocations()).as("allocations from the pooled allocator's direct arenas")
                        .isGreaterThan(pooledAllocations);
            } finally {
                // Not the default 30 s: close would wait that long for the last fetch, long-polling on purpose.
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            }
        }
    }

    @Test
    void aGracefulShutdownWaitsForAResponseHalfSplicedIntoASlowReader() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        String address = "127.0.120.43";
        int base = FreePorts.consecutive(address, 3);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicDescription topic = bulkTopic();
        Uuid topicId = topic.topicId();
        int leader = topic.partitions().get(0).leader().id();
        RewriteGateway gateway = gateway(address, base, FetchEndpointsMode.CAP_V15, Transport.best(),
                DataPath.SPLICE, registry, Duration.ofSeconds(20));
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(32 * 1024); // a slow reader: the gateway's splice stalls on it
            socket.connect(new InetSocketAddress(address, base + leader - 1), 5000);
            socket.setSoTimeout(30_000);
            sendFetchOfPartitionZero(socket, topicId, 7);

            awaitSpliceStarted(registry);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
            Thread.sleep(500);
            assertThat(closing).as("the shutdown waits for the response being spliced").isNotDone();

            assertThat(recordsInFetchResponse(socket, 7)).isEqualTo(recordsPerPartition.get(0));
            assertThat(socket.getInputStream().read()).as("closed after the response").isEqualTo(-1);
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            gateway.close();
        }
        assertThat(spliced(registry, "Fetch")).isEqualTo(1);
    }

    /**
     * Reads from a broker end at most a head's length into the next response (FrameReadSizer), however large the
     * responses before it were: the second multi-MiB response on one connection also passes at most
     * {@link FrameReadSizer#HEAD_BYTES} through user space before its splice. A relay in front of the leader writes
     * each response in one write, so a whole response waits in the gateway's socket when it reads (as under load);
     * with Netty's adaptive read sizes the first response's reads had raised the next read to 32-64 KiB, all copied.
     */
    @Test
    void everyLargeResponseOnAConnectionIsSplicedAfterAHeadOfAtMostHeadBytes() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        String address = "127.0.120.48";
        int base = FreePorts.consecutive(address, 4);
        int relayedPort = base + 3;
        TopicDescription topic = bulkTopic();
        int leader = topic.partitions().get(0).leader().id();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ServerSocket relay = new ServerSocket(0, 5, InetAddress.getByName("127.0.120.49"))) {
            TamperingRelay.start(relay, cluster.node(leader).address(), cluster.node(leader).internalPort(),
                    RewriteSpliceIT::eachResponseInOneWrite);
            HostPort listen = new HostPort(address, relayedPort);
            try (RewriteGateway gateway = gateway(address, base, List.of(new RewriteConfig.BrokerMapping(null,
                            new HostPort("127.0.120.49", relay.getLocalPort()), listen, listen)),
                    FetchEndpointsMode.CAP_V15, Transport.best(), DataPath.SPLICE, registry, Duration.ofSeconds(5));
                 Socket socket = new Socket()) {
                socket.setReceiveBufferSize(32 * 1024); // the splice stalls on it, so a head can be told from a body
                socket.connect(new InetSocketAddress(address, relayedPort), 5000);
                socket.setSoTimeout(30_000);
                sendFetchOfPartitionZero(socket, topic.topicId(), 7);
                assertThat(recordsInFetchResponse(socket, 7)).isEqualTo(recordsPerPartition.get(0));
                long firstResponse = gatewayBytes(registry, "to_client");

                sendFetchOfPartitionZero(socket, topic.topicId(), 8);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (gatewayBytes(registry, "to_client") == firstResponse && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300); // the client's small buffer fills, then the splice waits
                assertThat(gatewayBytes(registry, "to_client") - firstResponse)
                        .as("bytes of the second response copied before its splice (spliced bytes count at its end)")
                        .isGreaterThan(0).isLessThanOrEqualTo(FrameReadSizer.HEAD_BYTES);
                assertThat(recordsInFetchResponse(socket, 8)).isEqualTo(recordsPerPartition.get(0));
            }
        }
        assertThat(spliced(registry, "Fetch")).isEqualTo(2);
    }

    /** The broker's responses, each collected and then written to the client in one write. */
    private static void eachResponseInOneWrite(DataInputStream fromBroker, DataOutputStream toClient)
            throws IOException {
        while (true) {
            int size = fromBroker.readInt();
            byte[] frame = new byte[4 + size];
            ByteBuffer.wrap(frame).putInt(size);
            fromBroker.readFully(frame, 4, size);
            toClient.write(frame);
            toClient.flush();
        }
    }

    @Test
    void produceOnEpollSplicesRecordBatchesAndEveryRecordAndByteArrives() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        produceEverythingThrough("127.0.120.44", "produced-splice", "all", Transport.best(), DataPath.SPLICE, registry);
        assertThat(spliced(registry, "requests", "Produce")).as("Produce requests spliced").isGreaterThan(0);
        // Latency of a spliced request runs from its head to its response, as for any other request.
        assertThat(registry.get("brokerlink.gateway.request.latency").tag("api", "Produce").timer().count())
                .isGreaterThanOrEqualTo((long) spliced(registry, "requests", "Produce"));
    }

    @Test
    void acksZeroProduceIsSplicedAndNoResponseIsAwaited() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        produceEverythingThrough("127.0.120.45", "produced-acks0", "0", Transport.best(), DataPath.SPLICE, registry);
        assertThat(spliced(registry, "requests", "Produce")).as("Produce requests spliced").isGreaterThan(0);
        // Metadata refreshes every 300 ms on the same connections: had the gateway awaited a response to a spliced
        // acks=0 request, the next Metadata response would not match and the connection would close as malformed.
        assertThat(registry.get("brokerlink.gateway.requests").tag("api", "Metadata").counter().count())
                .isGreaterThanOrEqualTo(3);
        assertThat(registry.get("brokerlink.gateway.rewrite.closed.malformed").counter().count()).isZero();
    }

    @Test
    void onNioProduceIsCopiedAndTheCountersStillAgreeWithTheProducer() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        produceEverythingThrough("127.0.120.46", "produced-nio", "all", Transport.nio(), DataPath.COPY, registry);
        assertThat(registry.find("brokerlink.gateway.requests.spliced").counters()).isEmpty();
    }

    /**
     * A producer writes {@link #RECORDS} 16 KiB records through the gateway in 64 KiB batches (requests of one to
     * three batches); every record must then be in the topic (read directly from the brokers) with the same CRC sum.
     * With acks=all the gateway's byte counters must equal the producer's own network byte counts once traffic stops;
     * with acks=0 the producer refreshes metadata every 300 ms, so Metadata requests interleave with the produces.
     */
    private void produceEverythingThrough(String address, String topic, String acks, Transport transport,
                                          DataPath dataPath, SimpleMeterRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            NewTopics.createAndAwait(admin, new NewTopic(topic, 3, (short) 1));
        }
        int base = FreePorts.consecutive(address, 3);
        long crcSum = 0;
        try (RewriteGateway gateway = gateway(address, base, FetchEndpointsMode.CAP_V15, transport, dataPath, registry,
                Duration.ofSeconds(5))) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", address + ":" + base);
            props.put("key.serializer", ByteArraySerializer.class.getName());
            props.put("value.serializer", ByteArraySerializer.class.getName());
            props.put("acks", acks);
            props.put("batch.size", 64 * 1024);
            props.put("linger.ms", 20);
            if (acks.equals("0")) {
                props.put("metadata.max.age.ms", 300);
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                for (int i = 0; i < RECORDS; i++) {
                    byte[] value = value(i);
                    crcSum += crc(value);
                    producer.send(new ProducerRecord<>(topic, i % 3, null, value));
                    if (acks.equals("0") && i % 100 == 99) {
                        producer.flush();
                        Thread.sleep(400); // a metadata refresh in between
                    }
                }
                producer.flush();
                if (acks.equals("all")) {
                    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!(clientBytes(producer.metrics(), "producer-metrics", "incoming-byte-total")
                                    == gatewayBytes(registry, "to_client")
                            && clientBytes(producer.metrics(), "producer-metrics", "outgoing-byte-total")
                                    == gatewayBytes(registry, "to_upstream"))
                            && System.nanoTime() < waitUntil) {
                        Thread.sleep(50);
                    }
                    assertThat(gatewayBytes(registry, "to_upstream")).as("bytes to the brokers, gateway vs producer")
                            .isEqualTo(clientBytes(producer.metrics(), "producer-metrics", "outgoing-byte-total"));
                    assertThat(gatewayBytes(registry, "to_client")).as("bytes to the producer, gateway vs producer")
                            .isEqualTo(clientBytes(producer.metrics(), "producer-metrics", "incoming-byte-total"));
                }
                assertThat(gatewayBytes(registry, "to_upstream")).isGreaterThan((long) RECORDS * VALUE_BYTES);
            }
        }
        assertThat(readDirectly(topic)).as("sum of the CRC32 of every record in the topic").isEqualTo(crcSum);
    }

    /** The CRC sum of every record value in the topic, read from the brokers directly; exactly RECORDS of them. */
    private long readDirectly(String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", cluster.internalBootstrap(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            long crcSum = readAll(consumer, topic, 60);
            assertThat(consumer.poll(Duration.ofMillis(500))).as("no record beyond the produced ones").isEmpty();
            return crcSum;
        }
    }

    /** Reads the three partitions of a topic from the start until RECORDS records came (asserted); their CRC sum. */
    private static long readAll(KafkaConsumer<byte[], byte[]> consumer, String topic, int seconds) {
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        int count = 0;
        long crcSum = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (count < RECORDS && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                count++;
                crcSum += crc(r.value());
            }
        }
        assertThat(count).as("records read from " + topic).isEqualTo(RECORDS);
        return crcSum;
    }

    @Test
    void aGracefulShutdownWaitsForARequestHalfSplicedFromASlowWriter() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        String topic = "produced-slowly";
        String address = "127.0.120.47";
        int base = FreePorts.consecutive(address, 3);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int leader;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            // Awaited on every broker: a describeTopics right after createTopics may reach one that has not seen it.
            NewTopics.createAndAwait(admin, new NewTopic(topic, 1, (short) 1));
            leader = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).leader().id();
        }
        byte[] value = value(4242);
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value),
                                new SimpleRecord(value), new SimpleRecord(value), new SimpleRecord(value))))));
        ByteBuffer bytes = new ProduceRequest.Builder((short) 12, (short) 12, data).build((short) 12)
                .serializeWithHeader(new RequestHeader(ApiKeys.PRODUCE, (short) 12, "slow", 9));
        byte[] frame = new byte[4 + bytes.remaining()];
        ByteBuffer.wrap(frame).putInt(bytes.remaining()).put(bytes);

        RewriteGateway gateway = gateway(address, base, FetchEndpointsMode.CAP_V15, Transport.best(),
                DataPath.SPLICE, registry, Duration.ofSeconds(20));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, base + leader - 1), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            int firstPart = 6 * 1024;
            out.write(frame, 0, firstPart); // the head and the first records; the rest only after the drain began
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (gatewayBytes(registry, "to_upstream") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // the first part is spliced; the splice then waits for the rest
            // Only the head is counted so far: spliced bytes are counted when the request's last byte is out.
            assertThat(gatewayBytes(registry, "to_upstream")).as("head forwarded, rest being spliced")
                    .isGreaterThan(0).isLessThanOrEqualTo(FrameReadSizer.HEAD_BYTES);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
            Thread.sleep(500);
            assertThat(closing).as("the shutdown waits for the request being spliced and its response").isNotDone();
            out.write(frame, firstPart, frame.length - firstPart);
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            ByteBuffer buffer = ByteBuffer.wrap(response);
            assertThat(ResponseHeader.parse(buffer, ApiKeys.PRODUCE.responseHeaderVersion((short) 12)).correlationId())
                    .isEqualTo(9);
            ProduceResponseData.PartitionProduceResponse partition = ProduceResponse.parse(
                    new ByteBufferAccessor(buffer), (short) 12).data().responses().iterator().next()
                    .partitionResponses().get(0);
            assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
            assertThat(partition.baseOffset()).isZero();
            assertThat(in.read()).as("closed after the response").isEqualTo(-1);
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            gateway.close();
        }
        assertThat(spliced(registry, "requests", "Produce")).isEqualTo(1);
        assertThat(gatewayBytes(registry, "to_upstream")).isEqualTo(frame.length);
    }

    /** One Fetch v15 request for all of partition 0 (up to 16 MiB), written raw: the response is a single frame. */
    private static void sendFetchOfPartitionZero(Socket socket, Uuid topicId, int correlationId) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        FetchRequest request = FetchRequest.Builder.forConsumer((short) 15, 500, 1,
                Map.of(new TopicPartition(TOPIC, 0), new FetchRequest.PartitionData(topicId, 0L, -1L, 16 << 20,
                        Optional.empty()))).setMaxBytes(16 << 20).build((short) 15);
        ByteBuffer bytes = request.serializeWithHeader(new RequestHeader(ApiKeys.FETCH, (short) 15, "raw",
                correlationId));
        out.writeInt(bytes.remaining());
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
    }

    /** Reads one Fetch v15 response frame, checks its correlation id and counts the records of its one partition. */
    private static int recordsInFetchResponse(Socket socket, int correlationId) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        assertThat(ResponseHeader.parse(buffer, ApiKeys.FETCH.responseHeaderVersion((short) 15)).correlationId())
                .isEqualTo(correlationId);
        FetchResponseData.PartitionData partition = FetchResponse.parse(new ByteBufferAccessor(buffer), (short) 15)
                .data().responses().get(0).partitions().get(0);
        int records = 0;
        for (RecordBatch batch : ((MemoryRecords) partition.records()).batches()) {
            for (Record r : batch) {
                records++;
            }
        }
        return records;
    }

    private TopicDescription bulkTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
        }
    }

    /**
     * The broker's connection ends within a spliced body: a relay in front of partition 0's leader forwards the
     * size and the first {@code CUT} bytes of the first large response, then closes. The client's connection closes
     * after exactly those bytes, with a WARN naming the client, the API and the bytes being spliced; every socket
     * and pipe of the pair is closed, and the next client on a port of the same gateway gets its response spliced.
     */
    @Test
    void aBrokerEndingWithinASplicedBodyClosesThatClientWithAWarnAndLeaksNothing() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        String address = "127.0.120.44";
        int base = FreePorts.consecutive(address, 4);
        int cutPort = base + 3;
        int cut = 300 * 1024;
        TopicDescription topic = bulkTopic();
        int leader = topic.partitions().get(0).leader().id();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger cutFrameSize = new AtomicInteger();
        try (ServerSocket relay = new ServerSocket(0, 5, InetAddress.getByName("127.0.120.45"));
             LogCapture log = LogCapture.warningsOf("io.brokerlink.gateway")) {
            TamperingRelay.start(relay, cluster.node(leader).address(), cluster.node(leader).internalPort(),
                    cutWithinFirstLargeResponse(cut, cutFrameSize));
            HostPort listen = new HostPort(address, cutPort);
            try (RewriteGateway gateway = gateway(address, base, List.of(new RewriteConfig.BrokerMapping(null,
                            new HostPort("127.0.120.45", relay.getLocalPort()), listen, listen)),
                    FetchEndpointsMode.CAP_V15, Transport.best(), DataPath.SPLICE, registry, Duration.ofSeconds(5))) {
                OpenFiles before = OpenFiles.now();
                int clientPort;
                try (Socket socket = new Socket(address, cutPort)) {
                    socket.setSoTimeout(30_000);
                    clientPort = socket.getLocalPort();
                    sendFetchOfPartitionZero(socket, topic.topicId(), 9);
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    int size = in.readInt();
                    long received = in.transferTo(OutputStream.nullOutputStream());
                    assertThat(size).as("the frame size the broker sent").isEqualTo(cutFrameSize.get())
                            .isGreaterThan(cut);
                    assertThat(received).as("bytes of the frame the client got before the close").isEqualTo(cut);
                    Eventually.await(() -> !log.linesContaining(":" + clientPort).isEmpty(), "the WARN");
                    String warning = log.linesContaining(":" + clientPort).get(0);
                    assertThat(log.linesContaining(":" + clientPort)).hasSize(1);
                    Matcher m = Pattern.compile("WARN .*the connection ended within a Fetch response, while its last "
                            + "(\\d+) bytes were being spliced").matcher(warning);
                    assertThat(m.find()).as(warning).isTrue();
                    // The body after the head the gateway read: at least what the relay never sent.
                    assertThat(Integer.parseInt(m.group(1))).isBetween(size - cut, size - 4);
                }
                Eventually.await(() -> OpenFiles.now().equals(before),
                        () -> "the pair's sockets and pipe closed: before " + before + ", now " + OpenFiles.now());

                try (Socket socket = new Socket(address, base + leader - 1)) {
                    socket.setSoTimeout(30_000);
                    sendFetchOfPartitionZero(socket, topic.topicId(), 10);
                    assertThat(recordsInFetchResponse(socket, 10)).isEqualTo(recordsPerPartition.get(0));
                }
                Eventually.await(() -> spliced(registry, "Fetch") == 1, () -> "the complete response counted as "
                        + "spliced, not the cut one: " + spliced(registry, "Fetch"));
            }
        }
    }

    /**
     * A client that leaves within a spliced body (reads 64 KiB of a multi-MiB response, then closes): the broker side
     * of its pair and its pipes are closed at once, not left open until the broker has sent the rest.
     */
    @Test
    void aClientLeavingWithinASplicedBodyClosesItsBrokerConnectionAndPipe() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (splicing needs it)").isTrue();
        String address = "127.0.120.46";
        int base = FreePorts.consecutive(address, 3);
        TopicDescription topic = bulkTopic();
        int port = base + topic.partitions().get(0).leader().id() - 1;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RewriteGateway gateway = gateway(address, base, FetchEndpointsMode.CAP_V15, Transport.best(),
                DataPath.SPLICE, registry, Duration.ofSeconds(5))) {
            OpenFiles before = OpenFiles.now();
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket()) {
                    socket.setReceiveBufferSize(32 * 1024); // the splice waits for this reader, mid-body
                    socket.connect(new InetSocketAddress(address, port), 5000);
                    socket.setSoTimeout(30_000);
                    sendFetchOfPartitionZero(socket, topic.topicId(), 20 + i);
                    socket.getInputStream().readNBytes(64 * 1024);
                }
            }
            Eventually.await(() -> OpenFiles.now().equals(before),
                    () -> "every pair's sockets and pipe closed: before " + before + ", now " + OpenFiles.now());
            try (Socket socket = new Socket(address, port)) {
                socket.setSoTimeout(30_000);
                sendFetchOfPartitionZero(socket, topic.topicId(), 30);
                assertThat(recordsInFetchResponse(socket, 30)).isEqualTo(recordsPerPartition.get(0));
            }
            // Counted once the broker channel reads again, which may be just after the client has the last byte.
            Eventually.await(() -> spliced(registry, "Fetch") == 1, () -> "only the response that reached its end "
                    + "counted as spliced: " + spliced(registry, "Fetch"));
        }
    }

    /**
     * From the broker forwards every frame whole until one is larger than {@code cut}: of that one only the size and
     * {@code cut} bytes, then the relay closes both connections.
     */
    private static TamperingRelay.Tamper cutWithinFirstLargeResponse(int cut, AtomicInteger cutFrameSize) {
        return (in, out) -> {
            while (true) {
                int size = in.readInt();
                byte[] frame = in.readNBytes(Math.min(size, cut));
                out.writeInt(size);
                out.write(frame);
                out.flush();
                if (size > cut) {
                    cutFrameSize.set(size);
                    return; // the broker's connection ends mid-response
                }
            }
        };
    }

    /** This JVM's open sockets and pipes, from /proc/self/fd: a pair that closed gives back what it opened. */
    private record OpenFiles(long sockets, long pipes) {

        static OpenFiles now() {
            long sockets = 0;
            long pipes = 0;
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException gone) {
                        continue; // closed while listed
                    }
                    if (target.startsWith("socket:")) {
                        sockets++;
                    } else if (target.startsWith("pipe:")) {
                        pipes++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list /proc/self/fd", e);
            }
            return new OpenFiles(sockets, pipes);
        }
    }

    /** Splicing started: the response's first bytes went out (counted) while the rest is still on its way. */
    private static void awaitSpliceStarted(SimpleMeterRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (gatewayBytes(registry, "to_client") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gatewayBytes(registry, "to_client")).isGreaterThan(0);
        Thread.sleep(300); // the client's small buffer and the gateway's socket fill, then the splice waits
    }

    private static long pooledDirectAllocations() {
        return PooledByteBufAllocator.DEFAULT.metric().directArenas().stream()
                .mapToLong(PoolArenaMetric::numAllocations).sum();
    }

    private static double spliced(MeterRegistry registry, String api) {
        return spliced(registry, "responses", api);
    }

    /** @param what {@code responses} or {@code requests} */
    private static double spliced(MeterRegistry registry, String what, String api) {
        Counter c = registry.find("brokerlink.gateway." + what + ".spliced").tag("api", api).counter();
        return c == null ? 0 : c.count();
    }

    private static long gatewayBytes(MeterRegistry registry, String direction) {
        return (long) registry.find("brokerlink.gateway.bytes").tag("direction", direction).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static long clientBytes(KafkaConsumer<?, ?> consumer, String name) {
        return clientBytes(consumer.metrics(), "consumer-metrics", name);
    }

    private static long clientBytes(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals(group)) {
                return (long) (double) (Double) e.getValue().metricValue();
            }
        }
        throw new AssertionError("the client has no metric " + group + "/" + name);
    }
}
