package io.segstream.runtime;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** A consumer reading every partition of a topic itself (assigned, not in a group). */
public final class Partitions {

    private Partitions() {}

    /** Every partition of {@code topic}, as the cluster has them now. */
    public static List<TopicPartition> of(Consumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /** Assigns every partition of {@code topic} to the consumer, each at its beginning; returns them. */
    public static List<TopicPartition> fromBeginning(Consumer<?, ?> consumer, String topic) {
        List<TopicPartition> parts = of(consumer, topic);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return parts;
    }
}
