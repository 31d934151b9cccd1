package io.segstream.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a topic must look like: its name, partition count and topic-level configs.
 * Services create missing topics from these specs at start-up; the partition count applies only
 * when a topic is created.
 *
 * @param joined whether the topic is joined by key with the other joined topics (frames and masks),
 *               so that all of them must have the same partition count
 */
public record TopicSpec(
        String name, int partitions, short replicationFactor, Map<String, String> configs, boolean joined) {

    /** The topic config of how many copies must hold a write (acks=all) before it is acknowledged. */
    public static final String MIN_IN_SYNC = "min.insync.replicas";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be >= 1");
        }
        if (replicationFactor >= 3 && !configs.containsKey(MIN_IN_SYNC)) {
            // three copies or more: a write is acknowledged once two hold it, so one broker lost loses nothing
            Map<String, String> withIsr = new HashMap<>(configs);
            withIsr.put(MIN_IN_SYNC, "2");
            configs = withIsr;
        }
        configs = Map.copyOf(configs);
    }
}
