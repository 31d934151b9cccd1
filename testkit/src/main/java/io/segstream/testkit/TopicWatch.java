package io.segstream.testkit;

import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.Partitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assertions;

/** Follows a topic from its beginning while a test runs, for tests that wait for records to arrive. */
public final class TopicWatch implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicWatch(KafkaBroker kafka, String topic) {
        consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> parts = Partitions.fromBeginning(consumer, topic);
    }

    /** Polls until the records seen so far satisfy {@code done}; fails the test after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> await(
            String what, Duration timeout, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) {
                Assertions.fail(
                        "waited " + timeout.toSeconds() + " s for " + what + "; saw " + seen.size() + " records");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(this::see);
        }
        return List.copyOf(seen);
    }

    /** Polls for {@code duration} and returns everything seen. */
    public List<ConsumerRecord<String, byte[]>> pollFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(this::see);
        }
        return List.copyOf(seen);
    }

    /** Keeps a record unless it is a model description on the masks topic (tests count frames, masks and ends). */
    private void see(ConsumerRecord<String, byte[]> r) {
        if (!WireHeaders.isModelDescription(r.headers())) {
            seen.add(r);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
