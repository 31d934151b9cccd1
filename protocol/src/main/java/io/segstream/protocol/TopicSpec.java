package io.segstream.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * What a topic must look like: its name, partition count and topic-level configs.
 * Services create missing topics from these specs at start-up.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

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
        configs = Map.copyOf(configs);
    }
}
