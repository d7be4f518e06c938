package io.brokerlink.gateway.fuzz;

import static io.brokerlink.gateway.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.gateway.GatewayStatus;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.fuzz.FuzzTarget.Mode;
import io.brokerlink.gateway.testkit.FreePorts;
import io.brokerlink.gateway.testkit.FuzzTargetYaml;
import io.brokerlink.gateway.testkit.LogCapture;
import io.brokerlink.gateway.testkit.ReadyGateway;
import io.brokerlink.gateway.testkit.SecureListeners;
import io.brokerlink.gateway.testkit.SecureListeners.KafkaUser;
import io.brokerlink.gateway.testkit.TcpForwarder;
import io.brokerlink.gateway.testkit.Teardown;
import io.brokerlink.gateway.testkit.TestHosts;
import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bounded fuzz test of both modes (issue 5): random and mutated request frames, built from traffic recorded from
 * real clients a moment earlier, on many concurrent connections to a portmap and a rewrite gateway in front of one
 * real 3-node cluster, while a well-behaved producer and consumer work through the same gateway.
 *
 * <p>Afterwards: every message the normal clients sent was consumed and neither reported an error; every connection
 * met its case's verdict (well-formed traffic answered, refusals closed with a WARN naming the client); the gateway is
 * ready and serves a fresh Admin; heap after GC grew by less than {@link #HEAP_GROWTH_LIMIT}; Netty's leak detector
 * (PARANOID, from the parent POM's argLine) reported nothing; the gateway logged no ERROR and no stack trace; its
 * open connections are back to the normal clients' own count; the brokers still serve.
 *
 * <p>{@code -Dfuzz.seconds=N} per mode (default 30), {@code -Dfuzz.seed=N} to replay a run's inputs (the seed is
 * printed and named in every failure; timing between connections is not replayed), {@code -Dfuzz.connections=N}
 * concurrent fuzz connections (default 16).
 *
 * <p>The EXTERNAL listener behind portmap speaks SASL_PLAINTEXT (PLAIN), so cases usually log in first, with the
 * recorded SASL v1 exchange or with SaslHandshake v0 and a raw token; rewrite mode has one port in front of that
 * listener too (an address-keyed mapping), and three plaintext ones in front of INTERNAL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFuzzIT {

    static final String FIRST_NODE = "127.0.110.1";
    static final String PORTMAP = "127.0.110.10";
    static final String REWRITE = "127.0.110.20";
    static final String RECORDER = "127.0.110.30";
    static final String FUZZ_SOURCE = "127.0.110.50";
    /** Rewrite's max-frame-bytes and the brokers' socket.request.max.bytes: the same limit in both modes. */
    static final int MAX_FRAME_BYTES = 1024 * 1024;
    /**
     * A broker may hold a connection open after its client left: while it keeps a request (a mutated Fetch's wait, a
     * group join) its channel is muted and it does not read the FIN that portmap, a faithful TCP relay, passed on.
     * Runs showed a few such fuzz connections per portmap run, reaped by the idle timeout, whose job that is; short
     * here so that the open-connection check can wait for it.
     */
    static final int IDLE_TIMEOUT_MS = 10_000;
    static final long HEAP_GROWTH_LIMIT = 64L * 1024 * 1024;
    static final long DIRECT_GROWTH_LIMIT = 64L * 1024 * 1024;
    /** Refused connections whose WARN line is looked up (a sample: a long run refuses tens of thousands). */
    static final int REFUSALS_CHECKED = 2000;
    static final KafkaUser USER = new KafkaUser("fuzz", "fuzz-secret");

    final long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
    final Duration budget = Duration.ofSeconds(Long.getLong("fuzz.seconds", 30));
    final int concurrency = Integer.getInteger("fuzz.connections", 16);

    SandboxCluster cluster;
    RunningGateway portmap;
    final SimpleMeterRegistry portmapMeters = new SimpleMeterRegistry();
    final SimpleMeterRegistry rewriteMeters = new SimpleMeterRegistry();
    RunningGateway rewrite;
    int portmapBase;
    int rewriteBase;
    Corpus corpus;

    @BeforeAll
    void start() throws Exception {
        System.out.println("fuzz seed " + seed + " (replay: -Dfuzz.seed=" + seed + "), " + budget.toSeconds()
                + " s per mode, " + concurrency + " connections");
        portmapBase = FreePorts.consecutiveOnAll(4, PORTMAP, RECORDER);
        rewriteBase = FreePorts.consecutive(REWRITE, 4);
        SandboxCluster.Builder builder = SandboxCluster.builder().ephemeralPorts().firstAddress(FIRST_NODE)
                .advertisedPortBase(portmapBase + 1).listenerSecurity("EXTERNAL", "SASL_PLAINTEXT")
                // Mutated Metadata/Produce requests name made-up topics: they must not create them.
                .brokerProperty("auto.create.topics.enable", "false")
                .brokerProperty("socket.request.max.bytes", Integer.toString(MAX_FRAME_BYTES));
        SecureListeners.sasl(builder, "EXTERNAL", List.of(USER));
        cluster = builder.start();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.internalBootstrap()))) {
            admin.createTopics(List.of(new NewTopic("fuzz-recorded", 3, (short) 3),
                    new NewTopic("normal-portmap", 3, (short) 3), new NewTopic("normal-rewrite", 3, (short) 3)))
                    .all().get(60, TimeUnit.SECONDS);
        }
        portmap = ReadyGateway.start("portmap.yaml", portmapYaml(), portmapMeters);
        rewrite = ReadyGateway.start("rewrite.yaml", rewriteYaml(), rewriteMeters);
        corpus = record();
        System.out.println("recorded corpus: " + corpus.connections().size() + " connections, "
                + corpus.census().values().stream().mapToInt(Integer::intValue).sum() + " request frames: "
                + corpus.census());
    }

    @AfterAll
    void stop() throws Exception {
        Teardown.closeAll(portmap, rewrite, cluster);
    }

    String portmapYaml() {
        StringBuilder yaml = new StringBuilder("""
                mode: portmap
                bind-address: %s
                drain-timeout-ms: 1000
                idle-timeout-ms: %d
                health-check: {interval-ms: 500, timeout-ms: 500, healthy-threshold: 1, unhealthy-threshold: 2}
                groups:
                  - name: EXTERNAL
                    bootstrap-port: %d
                    brokers:
                """.formatted(PORTMAP, IDLE_TIMEOUT_MS, portmapBase));
        for (SandboxNode n : cluster.nodes()) {
            yaml.append("      - node-id: ").append(n.nodeId()).append('\n')
                    .append("        listen-port: ").append(portmapBase + n.nodeId()).append('\n')
                    .append("        target: ").append(n.externalBind()).append('\n')
                    .append("        advertised: ").append(n.advertisedExternal()).append('\n');
        }
        return yaml.toString();
    }

    /**
     * {@code fetch-endpoints: scan}: the corpus is recorded through portmap, so its Fetch requests use the newest
     * version, and the verdicts take every decoded API's newest version as the gateway's cap; under the default
     * {@code cap-v15} a replayed Fetch v16+ is refused (as it should be: a client that asked ApiVersions never sends one).
     */
    String rewriteYaml() {
        return FuzzTargetYaml.rewrite(REWRITE, rewriteBase, cluster, """
                fetch-endpoints: scan
                idle-timeout-ms: %d
                max-frame-bytes: %d
                """.formatted(IDLE_TIMEOUT_MS, MAX_FRAME_BYTES));
    }

    Map<String, Object> saslClient(String bootstrap) {
        Map<String, Object> p = new HashMap<>(SecureListeners.client("SASL_PLAINTEXT", "PLAIN", USER, null,
                java.util.Optional.empty()));
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    Map<String, Object> plainClient(String bootstrap) {
        return new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Real clients through portmap, past a recording forwarder: the brokers' advertised names point at the recorder
     * while it runs, so every connection of the workload is recorded.
     */
    Corpus record() throws Exception {
        String[] names = cluster.nodes().stream().map(SandboxNode::advertisedHost).toArray(String[]::new);
        List<Integer> ports = List.of(portmapBase, portmapBase + 1, portmapBase + 2, portmapBase + 3);
        TestHosts.map(RECORDER, names);
        List<List<RequestFrame>> recorded;
        try (TcpForwarder recorder = new TcpForwarder(RECORDER, ports, List.of(PORTMAP))) {
            workload(saslClient(RECORDER + ":" + portmapBase));
            recorded = recorder.recordedFromClients().stream().map(RequestFrame::split)
                    .filter(frames -> !frames.isEmpty()).toList();
        } finally {
            TestHosts.map(PORTMAP, names);
        }
        return new Corpus(recorded);
    }

    /** Admin, an idempotent and a transactional producer, a classic and a KIP-848 consumer group. */
    void workload(Map<String, Object> client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            // validateOnly: a mutated copy of this request must not be able to fill the cluster with topics.
            admin.createTopics(List.of(new NewTopic("fuzz-recorded-2", 2, (short) 3)),
                    new CreateTopicsOptions().validateOnly(true)).all().get(30, TimeUnit.SECONDS);
            admin.describeTopics(List.of("fuzz-recorded")).allTopicNames().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("fuzz-recorded", "k" + i, "v" + i));
            }
            producer.flush();
        }
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fuzz-recorded-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("fuzz-recorded", "t" + i, "tx" + i));
            }
            producer.commitTransaction();
        }
        for (String protocol : List.of("classic", "consumer")) {
            Map<String, Object> c = new HashMap<>(client);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "fuzz-recorded-" + protocol);
            c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                consumer.subscribe(List.of("fuzz-recorded"));
                int seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (seen < 40 && System.nanoTime() < deadline) {
                    seen += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertThat(seen).as(protocol + " consumer read the recorded records").isEqualTo(40);
                consumer.commitSync();
            }
        }
        try (Admin admin = Admin.create(client)) {
            admin.describeConsumerGroups(List.of("fuzz-recorded-classic", "fuzz-recorded-consumer")).all()
                    .get(30, TimeUnit.SECONDS);
            admin.listOffsets(Map.of(new TopicPartition("fuzz-recorded", 0), OffsetSpec.latest())).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void leakDetectorIsArmedAndReportsADeliberateLeak() throws Exception {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        try (LogCapture log = LogCapture.warningsOf("io.netty")) {
            leakOneBuffer();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (log.linesContaining("LEAK:").isEmpty() && System.nanoTime() < deadline) {
                flushLeakReports();
            }
            assertThat(log.linesContaining("LEAK:")).as("the canary leak is reported").hasSize(1)
                    .allMatch(l -> l.contains("leakOneBuffer"));
        }
    }

    private static void leakOneBuffer() {
        ByteBuf canary = ByteBufAllocator.DEFAULT.directBuffer(16);
        canary.writeInt(42); // never released: the detector must say so once it is collected
    }

    @Test
    @Order(2)
    void portmapSurvivesFuzzingWhileANormalClientKeepsWorking() throws Exception {
        List<FuzzTarget> targets = new ArrayList<>();
        targets.add(new FuzzTarget(Mode.PORTMAP, "bootstrap", new InetSocketAddress(PORTMAP, portmapBase), true));
        for (int n = 1; n <= 3; n++) {
            targets.add(new FuzzTarget(Mode.PORTMAP, "b" + n, new InetSocketAddress(PORTMAP, portmapBase + n), true));
        }
        fuzz(Mode.PORTMAP, portmap, portmapMeters, targets, saslClient(PORTMAP + ":" + portmapBase), "normal-portmap");
    }

    @Test
    @Order(3)
    void rewriteSurvivesFuzzingWhileANormalClientKeepsWorking() throws Exception {
        List<FuzzTarget> targets = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            targets.add(new FuzzTarget(Mode.REWRITE, "b" + n, new InetSocketAddress(REWRITE, rewriteBase + n - 1), false));
        }
        targets.add(new FuzzTarget(Mode.REWRITE, "sasl-mapping", new InetSocketAddress(REWRITE, rewriteBase + 3), true));
        fuzz(Mode.REWRITE, rewrite, rewriteMeters, targets, plainClient(REWRITE + ":" + rewriteBase), "normal-rewrite");
    }

    /** What a run did: cases per kind, verdict failures, and the WARN lines rewrite refusals must have produced. */
    record FuzzRun(Map<String, Long> casesPerKind, long cases, long bytes, List<String> failures,
                   Map<String, Long> failuresPerKind, long refused, Map<String, Refusal> refusals) {
    }

    /** A connection the rewrite gateway had to refuse itself, and why. */
    record Refusal(String reason, String cause) {
    }

    void fuzz(Mode mode, RunningGateway gateway, SimpleMeterRegistry meters, List<FuzzTarget> targets,
              Map<String, Object> normalClient, String topic) throws Exception {
        try (LogCapture log = LogCapture.warningsOf("io.brokerlink.gateway", "io.netty")) {
            try (NormalTraffic normal = new NormalTraffic(topic, normalClient, topic)) {
                normal.awaitFlowing(20, Duration.ofSeconds(60));
                long heapBefore = heapAfterGc();
                long directBefore = directMemory();

                FuzzRun run = attack(mode, targets);

                Set<String> missing = normal.stopAndAwaitConsumed(Duration.ofSeconds(60));
                System.out.println(mode + ": " + run.cases() + " fuzz connections (" + run.bytes() + " bytes) in "
                        + budget.toSeconds() + " s: " + run.casesPerKind() + "; normal client sent " + normal.sent()
                        + ", acknowledged " + normal.acknowledged());
                assertThat(normal.errors()).as(mode + ": errors of the normal clients (seed " + seed + ")").isEmpty();
                assertThat(normal.acknowledged()).as(mode + ": every record sent was acknowledged")
                        .isEqualTo(normal.sent());
                assertThat(missing).as(mode + ": acknowledged records never consumed").isEmpty();
                assertThat(run.cases()).as("fuzz connections made").isGreaterThan(100);
                assertThat(run.failures()).as(mode + ": connections that missed their verdict (seed " + seed
                        + "), per kind " + run.failuresPerKind() + ", the first 50").isEmpty();
                if (mode == Mode.REWRITE) {
                    assertRefusalsLogged(log, run);
                    // Random api keys must not grow the registry or land in a known API's meters.
                    Set<String> known = new HashSet<>(List.of("unknown"));
                    for (ApiKeys k : ApiKeys.values()) {
                        known.add(k.name);
                    }
                    assertThat(meters.getMeters().stream().map(m -> m.getId().getTag("api"))
                            .filter(Objects::nonNull).distinct().toList())
                            .as("api tags of the rewrite gateway's meters").isSubsetOf(known);
                }

                assertThat(gateway.readiness().isReady()).as(mode + " gateway ready after fuzzing").isTrue();
                try (Admin fresh = Admin.create(normalClient)) {
                    assertThat(fresh.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                            .as("a fresh Admin through " + mode).hasSize(3);
                }
                await(() -> openConnections(gateway) == normal.connections(), () -> mode + ": open connections "
                        + openConnections(gateway) + " back to the normal clients' " + normal.connections());
                System.out.println(mode + ": limit hits " + limitHits(meters) + ", connections rejected at once "
                        + counts(meters, "brokerlink.gateway.connections.rejected", "reason")
                        + ", upstream connect failures " + counts(meters, "brokerlink.gateway.upstream.connect.failures",
                        "upstream"));
                flushLeakReports();
                assertLogClean(mode, log);
                log.clear(); // checked: the lines are the test's, not the gateway's, heap

                long heapAfter = heapAfterGc();
                // This JVM also runs the three brokers: once (fresh-clone CI, seed -7148312370923968494) the heap
                // after GC was 157 MiB up, and 7 MiB down when the same seed ran alone. Retained for a while is not
                // leaked: measured again for up to 15 s before the verdict; a leak stays.
                long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (heapAfter - heapBefore >= HEAP_GROWTH_LIMIT && System.nanoTime() < settleUntil) {
                    Thread.sleep(1_000);
                    heapAfter = heapAfterGc();
                }
                long directAfter = directMemory();
                System.out.printf("%s: heap after GC %d -> %d MiB, direct memory %d -> %d MiB%n", mode,
                        heapBefore >> 20, heapAfter >> 20, directBefore >> 20, directAfter >> 20);
                if (heapAfter - heapBefore >= HEAP_GROWTH_LIMIT) {
                    // Whose objects they are (the gateway's or the brokers'): the report to act on if this fails.
                    System.out.println(mode + ": heap grew; the largest classes now:\n" + classHistogram(40));
                }
                assertThat(heapAfter - heapBefore).as(mode + ": heap growth after GC in bytes")
                        .isLessThan(HEAP_GROWTH_LIMIT);
                assertThat(directAfter - directBefore).as(mode + ": direct memory growth in bytes")
                        .isLessThan(DIRECT_GROWTH_LIMIT);
            }
            await(() -> openConnections(gateway) == 0, () -> mode + ": open connections " + openConnections(gateway)
                    + " after the normal clients closed");
            flushLeakReports();
            assertLogClean(mode, log);
        }
        try (Admin direct = Admin.create(plainClient(cluster.internalBootstrap()))) {
            assertThat(direct.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                    .as("every broker still up").containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    /** No leak report, no ERROR, no stack trace from the gateway, no warning from Netty. */
    void assertLogClean(Mode mode, LogCapture log) {
        assertThat(log.lines()).filteredOn(l -> l.contains("LEAK:")).as(mode + ": Netty leak reports (seed " + seed
                + ")").isEmpty();
        List<String> bad = log.lines().stream()
                .filter(l -> l.startsWith("ERROR") || l.contains("\n") || l.split(" ", 3)[1].startsWith("io.netty"))
                .map(l -> l.length() > 2000 ? l.substring(0, 2000) + "..." : l).toList();
        assertThat(bad).as(mode + ": gateway or Netty ERROR lines, stack traces, Netty warnings (seed " + seed + ")")
                .isEmpty();
    }

    /** {@link #concurrency} workers, each its own seeded sequence of cases, until the budget is spent. */
    FuzzRun attack(Mode mode, List<FuzzTarget> targets) throws Exception {
        FuzzCases cases = new FuzzCases(corpus, MAX_FRAME_BYTES, USER.name(), USER.password(), seed);
        FuzzConnection connection = new FuzzConnection(FUZZ_SOURCE, Duration.ofMillis(300), Duration.ofSeconds(10),
                Duration.ofSeconds(20));
        Map<String, LongAdder> perKind = new ConcurrentHashMap<>();
        Map<String, LongAdder> failedPerKind = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, Refusal> refusals = new ConcurrentHashMap<>();
        AtomicLong bytes = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong retriedCount = new AtomicLong();
        ConcurrentLinkedQueue<String> retried = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + budget.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                SplittableRandom r = new SplittableRandom(seed ^ (mode.ordinal() * 0x9E3779B97F4A7C15L)
                        ^ ((worker + 1) * 0xBF58476D1CE4E5B9L));
                for (int n = 0; System.nanoTime() < deadline; n++) {
                    FuzzTarget target = targets.get(r.nextInt(targets.size()));
                    FuzzCase c = cases.next(r, target);
                    perKind.computeIfAbsent(c.kind(), k -> new LongAdder()).increment();
                    bytes.addAndGet(c.bytes());
                    FuzzConnection.Outcome o = connection.run(c, target);
                    String miss = judge(c, o);
                    if (miss != null && c.verdict() instanceof FuzzCase.Answered && o.bytesRead() == 0) {
                        // Closed before a single byte came back: played again on a fresh connection to tell a
                        // connection lost on the way (seen about once in 20,000 connections on a loaded machine,
                        // in portmap, which forwards bytes unread) from an input the gateway mishandles.
                        FuzzConnection.Outcome again = connection.run(c, target);
                        if (judge(c, again) == null) {
                            if (retried.size() < 10) {
                                retried.add(c.kind() + " on " + target + ": " + o);
                            }
                            retriedCount.incrementAndGet();
                            miss = null;
                        } else {
                            miss += "; played again: " + judge(c, again) + " (" + again + ")";
                        }
                    }
                    if (miss != null) {
                        failedPerKind.computeIfAbsent(c.kind(), k -> new LongAdder()).increment();
                    }
                    if (miss != null && failures.size() < 50) {
                        failures.add("seed " + seed + " worker " + worker + " case " + n + " [" + c.kind() + ": "
                                + c.detail() + ", " + c.ending() + "] on " + target + ": " + miss + " (" + o + ")");
                    }
                    if (c.verdict() instanceof FuzzCase.RewriteRefuses refuses && miss == null
                            && refused.incrementAndGet() <= REFUSALS_CHECKED) {
                        refusals.put(o.client(), new Refusal(refuses.reason(), c.kind() + ": " + c.detail() + ", "
                                + c.ending()));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get(budget.toSeconds() + 120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<String, Long> counts = new TreeMap<>();
        perKind.forEach((k, v) -> counts.put(k, v.sum()));
        Map<String, Long> failed = new TreeMap<>();
        failedPerKind.forEach((k, v) -> failed.put(k, v.sum()));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (retriedCount.get() > 0) {
            System.out.println(mode + ": " + retriedCount.get() + " well-formed case(s) closed without a byte, answered"
                    + " when played again: " + retried);
        }
        assertThat(retriedCount.get()).as(mode + ": well-formed cases answered only at the second try " + retried)
                .isLessThanOrEqualTo(Math.max(2, total / 2000));
        return new FuzzRun(counts, total, bytes.get(), List.copyOf(failures), failed, refused.get(),
                Map.copyOf(refusals));
    }

    /** Null when the outcome meets the case's verdict, else what is wrong. */
    static String judge(FuzzCase c, FuzzConnection.Outcome o) {
        if (o.client().equals("?")) {
            return "could not connect: " + o.problem();
        }
        FuzzCase.Verdict v = c.verdict();
        if (v instanceof FuzzCase.Answered a) {
            return o.responses() >= a.responses() ? null
                    : "expected " + a.responses() + " responses, got " + o.responses();
        }
        if (v instanceof FuzzCase.Closed) {
            return o.peerClosed() ? null : "expected the connection to be closed";
        }
        if (v instanceof FuzzCase.RewriteRefuses refuses) {
            return o.peerClosed() ? null : "expected the gateway to close the connection (" + refuses.reason() + ")";
        }
        return null; // AnyOutcome: survival is checked at the end
    }

    /** The sampled refused connections each have a WARN naming the client's address and port, and the reason. */
    void assertRefusalsLogged(LogCapture log, FuzzRun run) throws InterruptedException {
        assertThat(run.refusals()).as("rewrite refusals exercised").isNotEmpty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Refusal> unlogged = new TreeMap<>(run.refusals());
        while (!unlogged.isEmpty() && System.nanoTime() < deadline) {
            List<String> warns = log.lines().stream().filter(l -> l.startsWith("WARN")).toList();
            unlogged.entrySet().removeIf(e -> warns.stream()
                    .anyMatch(l -> l.contains(e.getKey()) && l.contains(e.getValue().reason())));
            Thread.sleep(100);
        }
        assertThat(unlogged).as("refused connections (client -> reason) without a WARN naming them (seed " + seed
                + ")").isEmpty();
        System.out.println("REWRITE: " + run.refused() + " refusals; of the first " + REFUSALS_CHECKED + ", the last on each of "
                + run.refusals().size() + " client address:port pairs checked: each logged with it and the reason");
    }

    /** Leaks are reported when a later allocation finds a collected, unreleased buffer: collect, then allocate. */
    static void flushLeakReports() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 100; i++) {
                ByteBufAllocator.DEFAULT.directBuffer(64).release();
                ByteBufAllocator.DEFAULT.heapBuffer(64).release();
            }
        }
    }

    /** The first {@code lines} lines of the JVM's class histogram (as {@code jcmd PID GC.class_histogram}). */
    static String classHistogram(int lines) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", String.valueOf(out).lines().limit(lines).toList());
        } catch (javax.management.JMException e) {
            return "(no class histogram: " + e + ")";
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Netty's own count of direct memory where it keeps one, plus the JDK's direct buffer pool. */
    static long directMemory() {
        long netty = Math.max(0, PlatformDependent.usedDirectMemory());
        long jdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return netty + jdk;
    }

    /** {@code {idle-timeout-ms=3.0, max-frame-bytes=120.0}}: which limits the run hit, how often. */
    static Map<String, Double> limitHits(SimpleMeterRegistry meters) {
        return counts(meters, "brokerlink.gateway.limit.hits", "limit");
    }

    /** A counter's totals by one tag (over the run so far). */
    static Map<String, Double> counts(SimpleMeterRegistry meters, String name, String tag) {
        Map<String, Double> out = new TreeMap<>();
        meters.find(name).counters().forEach(c -> out.merge(String.valueOf(c.getId().getTag(tag)), c.count(),
                Double::sum));
        return out;
    }

    static int openConnections(RunningGateway gateway) {
        return gateway.status().listeners().stream().mapToInt(GatewayStatus.ListenerStatus::openConnections).sum();
    }
}
