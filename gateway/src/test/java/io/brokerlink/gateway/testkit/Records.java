package io.brokerlink.gateway.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * String records through real Kafka clients: produce a numbered batch, consume a topic back, or see a send refused.
 * {@code client} is the settings of the path under test (see {@link ClientSettings}); each method copies it.
 */
public final class Records {

    private Records() {
    }

    /** A producer that waits for every in-sync replica ({@code acks=all}). */
    public static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Sends {@code prefix-0 .. prefix-(count-1)}, keyed by their number, and flushes; returns the values sent. */
    public static List<String> produce(Map<String, Object> client, String topic, String prefix, int count) {
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(client)) {
            for (int i = 0; i < count; i++) {
                sent.add(prefix + "-" + i);
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), prefix + "-" + i));
            }
            producer.flush();
        }
        return sent;
    }

    /**
     * Reads {@code topic} from the beginning as a member of {@code group} until {@code expected} values arrived or
     * {@code limit} passed, then commits; returns the values in arrival order (fewer than expected on time-out).
     */
    public static List<String> consume(Map<String, Object> client, String group, String topic, int expected,
                                       Duration limit) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = poll(consumer, expected, limit);
            consumer.commitSync();
            return values;
        }
    }

    /** Polls a subscribed or assigned consumer until {@code expected} values arrived or {@code limit} passed. */
    public static List<String> poll(KafkaConsumer<String, String> consumer, int expected, Duration limit) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                values.add(r.value());
            }
        }
        return values;
    }

    /**
     * One send of {@code value} fails with {@code rootCause} (an authentication or authorization error) within 20 s;
     * metadata waits are capped at 15 s so that a refusal the client keeps retrying still ends the test.
     */
    public static void assertSendFails(Map<String, Object> client, String topic, String value,
                                       Class<? extends Throwable> rootCause) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, value)).get(20, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(rootCause);
        }
    }
}
