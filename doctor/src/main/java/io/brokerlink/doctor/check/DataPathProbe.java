package io.brokerlink.doctor.check;

import io.brokerlink.doctor.Code;
import io.brokerlink.doctor.Finding;
import io.brokerlink.doctor.Severity;
import io.brokerlink.doctor.check.CheckReport.DataPathResult;
import io.brokerlink.doctor.check.CheckReport.GroupResult;
import io.brokerlink.doctor.check.CheckReport.PartitionResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Step 4: the data path with real kafka-clients, bootstrapped through the endpoint. A probe topic with one partition
 * per broker, each led by a different broker (explicit replica assignment); one acks=all record to every partition;
 * a consumer group reads them back and commits, which needs its coordinator through the endpoint. A cross-wired port
 * shows up here as a partition whose produce never succeeds.
 */
final class DataPathProbe {

    static final String TOPIC_PREFIX = "brokerlink-doctor-probe-";

    private final String bootstrap;
    private final Duration timeout;
    private final boolean keep;
    private final Progress progress;

    DataPathProbe(String bootstrap, Duration timeout, boolean keep, Progress progress) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
        this.keep = keep;
        this.progress = progress;
    }

    private Map<String, Object> common() {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(CommonClientConfigs.CLIENT_ID_CONFIG, "brokerlink-doctor");
        c.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        c.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() * 3);
        c.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return c;
    }

    DataPathResult run(List<Integer> nodeIds, List<Finding> findings, Map<Integer, String> advertised) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = TOPIC_PREFIX + suffix;
        String groupId = "brokerlink-doctor-" + suffix;
        long wait = timeout.toMillis() * 3;
        try (Bounded<Admin> bounded = bounded(Admin.create(common()), Admin::close)) {
            Admin admin = bounded.client();
            // Partition i is led by the i-th broker: every broker must serve as a leader once.
            int rf = Math.min(3, nodeIds.size());
            Map<Integer, List<Integer>> assignment = new TreeMap<>();
            for (int i = 0; i < nodeIds.size(); i++) {
                List<Integer> replicas = new ArrayList<>();
                for (int r = 0; r < rf; r++) {
                    replicas.add(nodeIds.get((i + r) % nodeIds.size()));
                }
                assignment.put(i, replicas);
            }
            try {
                progress.step("creating probe topic " + topic, () -> {
                    admin.createTopics(List.of(new NewTopic(topic, assignment))).all().get(wait, TimeUnit.MILLISECONDS);
                    return awaitLeaders(admin, topic, assignment, wait);
                });
            } catch (Exception e) {
                String error = "creating " + topic + " with replicas " + assignment + ": " + rootMessage(e);
                findings.add(Finding.about(Severity.ERROR, Code.BL220, bootstrap, error
                        + "; the data path could not be tested"));
                return new DataPathResult(topic, Status.ERROR, error, List.of(), null, false);
            }
            Map<Integer, Integer> leaders = new TreeMap<>();
            assignment.forEach((p, replicas) -> leaders.put(p, replicas.get(0)));
            Map<Integer, String> produceErrors = produce(topic, leaders);
            Set<Integer> produced = new TreeSet<>(leaders.keySet());
            produced.removeAll(produceErrors.keySet());
            Map<Integer, Boolean> consumed = new TreeMap<>();
            GroupResult group = consume(admin, topic, groupId, produced, consumed);
            List<PartitionResult> partitions = new ArrayList<>();
            for (Map.Entry<Integer, Integer> e : leaders.entrySet()) {
                int p = e.getKey();
                int leader = e.getValue();
                String error = produceErrors.get(p);
                boolean wasConsumed = consumed.getOrDefault(p, false);
                String where = "partition " + p + " of " + topic + " (leader node " + leader + " at "
                        + advertised.get(leader) + ")";
                if (error != null) {
                    findings.add(Finding.about(Severity.ERROR, Code.BL221, advertised.get(leader), "producing to "
                            + where + " with acks=all failed: " + error));
                } else if (!wasConsumed) {
                    error = "produced but not consumed back within " + wait + " ms";
                    findings.add(Finding.about(Severity.ERROR, Code.BL222, advertised.get(leader), where + ": "
                            + error));
                }
                partitions.add(new PartitionResult(p, leader, error == null || produced.contains(p), wasConsumed,
                        error));
            }
            if (group.status() == Status.ERROR) {
                findings.add(Finding.about(Severity.ERROR, Code.BL223, group.coordinator() == null ? bootstrap
                        : advertised.get(group.coordinator()), "consumer group " + groupId + ": " + group.error()));
            }
            boolean deleted = false;
            if (!keep) {
                try {
                    progress.step("deleting probe topic " + topic, () -> {
                        admin.deleteTopics(List.of(topic)).all().get(wait, TimeUnit.MILLISECONDS);
                        return null;
                    });
                    deleted = true;
                } catch (Exception e) {
                    findings.add(Finding.about(Severity.WARNING, Code.BL224, bootstrap, "could not delete " + topic
                            + ": " + rootMessage(e) + "; delete it by hand"));
                }
                try {
                    admin.deleteConsumerGroups(List.of(groupId)).all().get(wait, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // a group that never formed (coordinator unreachable) has nothing to delete
                }
            }
            boolean ok = partitions.stream().allMatch(p -> p.error() == null) && group.status() == Status.OK;
            return new DataPathResult(topic, ok ? Status.OK : Status.ERROR, null, partitions, group, deleted);
        }
    }

    private static Void awaitLeaders(Admin admin, String topic, Map<Integer, List<Integer>> assignment, long wait)
            throws Exception {
        long deadline = System.currentTimeMillis() + wait;
        while (true) {
            TopicDescription d;
            try {
                d = admin.describeTopics(List.of(topic)).allTopicNames().get(wait, TimeUnit.MILLISECONDS).get(topic);
            } catch (java.util.concurrent.ExecutionException e) {
                // A broker that has not seen the new topic's metadata yet answers UNKNOWN_TOPIC_OR_PARTITION.
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                        || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
                continue;
            }
            boolean ready = d.partitions().size() == assignment.size() && d.partitions().stream().allMatch(
                    (TopicPartitionInfo p) -> p.leader() != null
                            && p.leader().id() == assignment.get(p.partition()).get(0));
            if (ready || System.currentTimeMillis() > deadline) {
                return null;
            }
            Thread.sleep(100);
        }
    }

    private Map<Integer, String> produce(String topic, Map<Integer, Integer> leaders) {
        Map<String, Object> c = common();
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() * 3);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis() * 3);
        Map<Integer, String> errors = new TreeMap<>();
        try (Bounded<KafkaProducer<byte[], byte[]>> bounded = bounded(new KafkaProducer<>(c), KafkaProducer::close)) {
            KafkaProducer<byte[], byte[]> producer = bounded.client();
            Map<Integer, Future<RecordMetadata>> sent = new LinkedHashMap<>();
            for (int p : leaders.keySet()) {
                sent.put(p, producer.send(new ProducerRecord<>(topic, p, null,
                        ("brokerlink doctor probe, partition " + p).getBytes(StandardCharsets.UTF_8))));
            }
            progress.step("producing to " + leaders.size() + " partitions (acks=all)", () -> {
                for (Map.Entry<Integer, Future<RecordMetadata>> e : sent.entrySet()) {
                    try {
                        e.getValue().get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
                    } catch (ExecutionException x) {
                        errors.put(e.getKey(), rootMessage(x));
                    } catch (java.util.concurrent.TimeoutException x) {
                        errors.put(e.getKey(), "no acknowledgement within " + timeout.toMillis() * 4 + " ms");
                    }
                }
                return null;
            });
        } catch (Exception e) {
            for (int p : leaders.keySet()) {
                errors.putIfAbsent(p, rootMessage(e));
            }
        }
        return errors;
    }

    private GroupResult consume(Admin admin, String topic, String groupId, Set<Integer> expected,
                                Map<Integer, Boolean> consumed) {
        Map<String, Object> c = common();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long wait = timeout.toMillis() * 3;
        // Read back per partition without a group first: each partition's result depends on its leader only.
        Map<String, Object> plain = new HashMap<>(c);
        plain.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (Bounded<KafkaConsumer<byte[], byte[]>> bounded = bounded(new KafkaConsumer<>(plain), KafkaConsumer::close)) {
            KafkaConsumer<byte[], byte[]> reader = bounded.client();
            List<org.apache.kafka.common.TopicPartition> tps = expected.stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p)).toList();
            reader.assign(tps);
            reader.seekToBeginning(tps);
            progress.step("consuming back " + expected.size() + " partitions", () -> {
                long deadline = System.currentTimeMillis() + wait;
                Set<Integer> seen = new TreeSet<>();
                while (!seen.containsAll(expected) && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        seen.add(r.partition());
                    }
                }
                seen.forEach(p -> consumed.put(p, true));
                return null;
            });
        } catch (Exception e) {
            // partitions not marked consumed are reported by the caller
        }
        // Then the group: joining and committing need the coordinator, found through the endpoint.
        Integer coordinator = null;
        try (Bounded<KafkaConsumer<byte[], byte[]>> bounded = bounded(new KafkaConsumer<>(c), KafkaConsumer::close)) {
            KafkaConsumer<byte[], byte[]> consumer = bounded.client();
            consumer.subscribe(List.of(topic));
            boolean[] got = {false};
            progress.step("joining consumer group " + groupId, () -> {
                long deadline = System.currentTimeMillis() + wait;
                while (!got[0] && System.currentTimeMillis() < deadline) {
                    got[0] = !consumer.poll(Duration.ofMillis(200)).isEmpty() || (!consumer.assignment().isEmpty()
                            && expected.isEmpty());
                }
                return null;
            });
            if (consumer.assignment().isEmpty()) {
                return new GroupResult(groupId, coordinatorOf(admin, groupId), Status.ERROR,
                        "no partitions assigned within " + wait + " ms: the group coordinator was not reached");
            }
            consumer.commitSync(Duration.ofMillis(wait));
            coordinator = coordinatorOf(admin, groupId);
            return new GroupResult(groupId, coordinator, Status.OK, null);
        } catch (Exception e) {
            return new GroupResult(groupId, coordinator == null ? coordinatorOf(admin, groupId) : coordinator,
                    Status.ERROR, rootMessage(e));
        }
    }

    /**
     * A Kafka client that its try block closes within {@code timeout}: the clients' own {@code close()} waits without
     * limit (admin, producer) or 30 s (consumer) for requests still pending, and when a broker is unreachable through
     * the endpoint (what this check exists to find) some are: such a request ends only at its own deadline, if then.
     * A CI run of CheckThroughPortmapIT with one broker port closed spent 331 s in this probe with no step slower
     * than 9 s; after its last step the one wait without a bound was {@code Admin.close()} (not reproduced: a rerun
     * took 70 s). What the check reports is decided before the close.
     */
    private record Bounded<C>(C client, BiConsumer<C, Duration> closer, Duration timeout) implements AutoCloseable {

        @Override
        public void close() {
            closer.accept(client, timeout);
        }
    }

    private <C> Bounded<C> bounded(C client, BiConsumer<C, Duration> closer) {
        return new Bounded<>(client, closer, timeout.multipliedBy(3));
    }

    private Integer coordinatorOf(Admin admin, String groupId) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(groupId);
            return d.coordinator() == null ? null : d.coordinator().id();
        } catch (Exception e) {
            return null;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException
                || (t.getCause() != null && t.getMessage() == null)) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
