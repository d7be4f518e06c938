package io.brokerlink.gateway.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A well-behaved producer and consumer group member working through a gateway while it is attacked: one record
 * every few milliseconds, acks=all, each value unique; the consumer collects what it sees. Any error either client
 * reports is kept.
 */
final class NormalTraffic implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Thread producing;
    private final Thread consuming;
    private final Map<String, Object> consumerProps;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> consumed = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger consumerConnections = new AtomicInteger(-1);
    private volatile boolean produce = true;
    private volatile boolean consume = true;
    private volatile int sent;

    NormalTraffic(String name, Map<String, Object> clientProps, String topic) {
        this.topic = topic;
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(p);
        consumerProps = new HashMap<>(clientProps);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-group");
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-consumer");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        producing = new Thread(this::produceLoop, name + "-producing");
        consuming = new Thread(this::consumeLoop, name + "-consuming");
        producing.setDaemon(true);
        consuming.setDaemon(true);
        producing.start();
        consuming.start();
    }

    private void produceLoop() {
        try {
            while (produce) {
                String value = topic + "-" + sent++;
                producer.send(new ProducerRecord<>(topic, value, value), (md, e) -> {
                    if (e != null) {
                        errors.add("send of " + value + ": " + e);
                    } else {
                        acknowledged.add(value);
                    }
                });
                Thread.sleep(5);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.add("producer: " + e);
        }
    }

    private void consumeLoop() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of(topic));
            while (consume) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    consumed.add(r.value());
                }
                consumerConnections.set(connectionCount(consumer.metrics(), "consumer-metrics"));
            }
        } catch (RuntimeException e) {
            errors.add("consumer: " + e);
        }
    }

    private static int connectionCount(Map<MetricName, ? extends Metric> metrics, String group) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals("connection-count") && e.getKey().group().equals(group))
                .mapToInt(e -> ((Number) e.getValue().metricValue()).intValue()).sum();
    }

    /** Sockets both clients hold open right now (what the gateway should count for them). */
    int connections() {
        return connectionCount(producer.metrics(), "producer-metrics") + consumerConnections.get();
    }

    /** Blocks until at least {@code n} records were consumed, or fails. */
    void awaitFlowing(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumed.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + ": only " + consumed.size() + " records consumed within " + timeout
                        + "; errors: " + errors);
            }
            Thread.sleep(50);
        }
    }

    /** Stops producing and waits for every acknowledged record; returns those never consumed (sorted). */
    Set<String> stopAndAwaitConsumed(Duration timeout) throws InterruptedException {
        produce = false;
        producing.join(TimeUnit.SECONDS.toMillis(30));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!consumed.containsAll(acknowledged) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Set<String> missing = new TreeSet<>(acknowledged);
        missing.removeAll(consumed);
        return missing;
    }

    int sent() {
        return sent;
    }

    int acknowledged() {
        return acknowledged.size();
    }

    List<String> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() {
        produce = false;
        consume = false;
        try {
            producing.join(TimeUnit.SECONDS.toMillis(30));
            consuming.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
