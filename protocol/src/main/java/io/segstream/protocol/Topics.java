package io.segstream.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The topics of the pipeline and their specs. Frames and masks always get the same partition count
 * so that the sink can join them without a repartition; {@code models} is compacted, one record per
 * model id: its {@link ModelDescription}; {@code cameras} is compacted, one record per camera id: its
 * settings (a tombstone removes the camera), the fleet's source of truth.
 */
public record Topics(
        String frames, String masks, String frameStats, String cameraStats, String models, String cameras) {

    /**
     * Partitions of the cameras topic: the most ingest instances that can share a fleet's cameras
     * (each partition, with its cameras, belongs to one instance at a time).
     */
    public static final int CAMERA_PARTITIONS = 12;

    /** Largest camera record: settings are a few hundred bytes; a bigger value is refused by the broker. */
    public static final int MAX_CAMERA_RECORD_BYTES = 64 * 1024;

    /** Large enough for a 4K JPEG or PNG; producers set max.request.size to match. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    public static final Topics DEFAULT = withPrefix("");

    /** Topic names with a prefix, so several pipelines can share one cluster ("" for none). */
    public static Topics withPrefix(String prefix) {
        return new Topics(
                prefix + "frames",
                prefix + "masks",
                prefix + "frame-stats",
                prefix + "camera-stats",
                prefix + "models",
                prefix + "cameras");
    }

    /** The specs the services create when the topics are missing. */
    public List<TopicSpec> specs(int partitions, short replicationFactor, Duration frameRetention) {
        Map<String, String> large = Map.of("max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
        Map<String, String> bounded = Map.of(
                "max.message.bytes", Integer.toString(MAX_RECORD_BYTES),
                "retention.ms", Long.toString(frameRetention.toMillis()));
        return List.of(
                new TopicSpec(frames, partitions, replicationFactor, bounded, true),
                new TopicSpec(masks, partitions, replicationFactor, bounded, true),
                new TopicSpec(frameStats, partitions, replicationFactor, large, false),
                new TopicSpec(cameraStats, partitions, replicationFactor, large, false),
                new TopicSpec(models, 1, replicationFactor, Map.of("cleanup.policy", "compact"), false));
    }

    /**
     * The spec of the cameras topic, created by {@code segstream cameras} and by ingest instances that
     * share it: compacted, {@value #CAMERA_PARTITIONS} partitions, small records.
     */
    public TopicSpec camerasSpec(short replicationFactor) {
        return new TopicSpec(
                cameras,
                CAMERA_PARTITIONS,
                replicationFactor,
                Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(MAX_CAMERA_RECORD_BYTES)),
                false);
    }
}
