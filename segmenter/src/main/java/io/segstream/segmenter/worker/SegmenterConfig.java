package io.segstream.segmenter.worker;

import io.segstream.protocol.Checks;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.runtime.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a segmenter worker consumes and batches.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics           topic names
 * @param groupId          the consumer group all replicas share
 * @param batchSize        most frames per model call (frames of any cameras, of one picture size); a model
 *                         with a fixed batch of 1 is served frame by frame whatever this says
 * @param maxWait          how long a partial batch waits for more frames before it runs
 * @param maxAge           a live camera's frame older than this when its turn comes is skipped (answered with a
 *                         skipped-stale mask); zero never skips. Recorded frames are never skipped
 * @param pollTimeout      how long one poll waits for frames
 * @param kafka            Kafka client properties for the consumer and the producer (security, timeouts), which win
 *                         over segstream's own
 * @param cameras          the cameras this group segments (their ids match the whole pattern); the frames of others are
 *                         left to the group that runs their model. Empty: every camera
 */
public record SegmenterConfig(
        String bootstrapServers,
        Topics topics,
        String groupId,
        int batchSize,
        Duration maxWait,
        Duration maxAge,
        Duration pollTimeout,
        Map<String, String> kafka,
        Optional<Pattern> cameras) {

    public SegmenterConfig {
        Checks.nonNull("bootstrapServers topics groupId maxWait", bootstrapServers, topics, groupId, maxWait);
        Checks.nonNull("maxAge pollTimeout cameras", maxAge, pollTimeout, cameras);
        kafka = Map.copyOf(kafka);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (maxWait.isNegative() || maxAge.isNegative() || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("maxWait and maxAge must be >= 0 and pollTimeout > 0");
        }
        Checks.atMost("batch wait", maxWait, Checks.LONGEST);
        Checks.atMost("max age", maxAge, Checks.LONGEST);
        Checks.atMost("poll timeout", pollTimeout, Checks.LONGEST);
    }

    public static final Setting<Integer> BATCH_SIZE = Setting.of(
            "batch-size", "N", "4", "Most frames per model call, across cameras.", Setting.intWithin(1, 1024));
    public static final Setting<Duration> BATCH_WAIT = Setting.of(
            "batch-wait",
            "DURATION",
            "PT0.05S",
            "Longest wait for a batch to fill, ISO-8601.",
            Setting.durationFrom(Duration.ZERO));
    public static final Setting<Duration> MAX_AGE = Setting.of(
            "max-age",
            "DURATION",
            "PT1S",
            "Skip a live camera's frame older than this when its turn comes; PT0S never skips.",
            Setting.durationFrom(Duration.ZERO));
    public static final Setting<String> GROUP = Setting.described(
            "group",
            "GROUP",
            "the topic prefix + " + Groups.SEGMENTER,
            "Consumer group of the replicas.",
            Setting.text(249));
    public static final Setting<Pattern> CAMERAS = Setting.described(
            "cameras",
            "REGEX",
            "all",
            "Segment only the cameras whose ids match this regular expression entirely. Several groups, each with"
                    + " its own model and --group, can split the cameras of one pipeline; give ingest every group"
                    + " with --segmenter-group.",
            SegmenterConfig::regex);

    public static final int DEFAULT_BATCH_SIZE = BATCH_SIZE.defaultOrFail();
    public static final Duration DEFAULT_BATCH_WAIT = BATCH_WAIT.defaultOrFail();
    public static final Duration DEFAULT_MAX_AGE = MAX_AGE.defaultOrFail();
    /** How long one poll of the frames topic waits for records. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

    /** Batches of up to 4 waiting at most 50 ms, live frames skipped when older than 1 s. */
    public static SegmenterConfig defaults(String bootstrapServers, Topics topics) {
        return new SegmenterConfig(
                bootstrapServers,
                topics,
                Groups.SEGMENTER,
                DEFAULT_BATCH_SIZE,
                DEFAULT_BATCH_WAIT,
                DEFAULT_MAX_AGE,
                DEFAULT_POLL_TIMEOUT,
                Map.of(),
                Optional.empty());
    }

    public SegmenterConfig withGroup(String group) {
        return new SegmenterConfig(
                bootstrapServers, topics, group, batchSize, maxWait, maxAge, pollTimeout, kafka, cameras);
    }

    public SegmenterConfig withBatch(int size, Duration wait) {
        return new SegmenterConfig(bootstrapServers, topics, groupId, size, wait, maxAge, pollTimeout, kafka, cameras);
    }

    public SegmenterConfig withMaxAge(Duration age) {
        return new SegmenterConfig(
                bootstrapServers, topics, groupId, batchSize, maxWait, age, pollTimeout, kafka, cameras);
    }

    /** Segments only the cameras whose ids match {@code pattern} entirely. */
    public SegmenterConfig withCameras(Pattern pattern) {
        return new SegmenterConfig(
                bootstrapServers,
                topics,
                groupId,
                batchSize,
                maxWait,
                maxAge,
                pollTimeout,
                kafka,
                Optional.of(pattern));
    }

    /** Whether this group segments the camera's frames. */
    public boolean segments(String camera) {
        return cameras.isEmpty()
                || camera != null && cameras.get().matcher(camera).matches();
    }

    public SegmenterConfig withKafka(Map<String, String> properties) {
        return new SegmenterConfig(
                bootstrapServers, topics, groupId, batchSize, maxWait, maxAge, pollTimeout, properties, cameras);
    }

    /** A regular expression of at most 1,000 characters that compiles. */
    private static Pattern regex(String v) {
        if (v.isEmpty() || v.length() > 1000) {
            throw new IllegalArgumentException("must be a regular expression of 1-1000 characters, got " + v.length());
        }
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("is not a regular expression: " + e.getDescription());
        }
    }
}
