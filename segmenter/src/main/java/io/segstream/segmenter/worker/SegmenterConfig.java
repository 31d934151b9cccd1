package io.segstream.segmenter.worker;

import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * How a segmenter worker connects and consumes.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics           topic names
 * @param groupId          the consumer group all replicas share
 * @param maxPollRecords   frames taken per poll (and committed together)
 * @param pollTimeout      how long one poll waits for frames
 */
public record SegmenterConfig(String bootstrapServers, Topics topics, String groupId, int maxPollRecords, Duration pollTimeout) {

    public SegmenterConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
        }
    }

    public static SegmenterConfig defaults(String bootstrapServers, Topics topics) {
        return new SegmenterConfig(bootstrapServers, topics, Groups.SEGMENTER, 8, Duration.ofMillis(500));
    }
}
