package io.segstream.ingest.camera;

import io.segstream.protocol.Checks;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.runtime.RecordEdit;
import io.segstream.runtime.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an ingest process treats its cameras; one record, bound once at start-up.
 *
 * @param bootstrapServers   the Kafka cluster
 * @param topics             topic names
 * @param ioTimeout          bound on every blocking FFmpeg call on a network source (open and read)
 * @param stallTimeout       a live source that delivers no frame for this long is restarted
 * @param backoffMin         first wait before reconnecting a live source; doubles on every failure
 * @param backoffMax         longest wait between reconnects
 * @param recordedAttempts   attempts to open a recorded network input before it is reported as failed
 * @param maxInFlight        recorded inputs: most frames of one camera published but not yet segmented; 0 = no bound
 * @param segmenterGroups    the segmenters' consumer groups, whose committed offsets say what is segmented (with several
 *                           groups, each segmenting some cameras, a frame counts as segmented once every group is past it)
 * @param liveQueue          live sources: decoded frames waiting to be sent; beyond it the oldest is dropped
 * @param liveMaxUnacked     live sources: frames sent to Kafka but not yet acknowledged, per camera
 * @param liveAhead          live sources: most frames of one camera published but not yet segmented (the others are
 *                           dropped before they are encoded); 0 = no bound
 * @param kafka              further Kafka client properties (security, ...) for the producer and the admin client
 * @param partitions         cameras pinned to a partition of the frames topic (so that no two share one); the others
 *                           go where their key's hash puts them
 */
public record IngestConfig(
        String bootstrapServers,
        Topics topics,
        Duration ioTimeout,
        Duration stallTimeout,
        Duration backoffMin,
        Duration backoffMax,
        int recordedAttempts,
        int maxInFlight,
        List<String> segmenterGroups,
        int liveQueue,
        int liveMaxUnacked,
        int liveAhead,
        Map<String, String> kafka,
        Map<String, Integer> partitions) {

    public static final String DEFAULT_SEGMENTER_GROUP = Groups.SEGMENTER;
    public static final Setting<Duration> IO_TIMEOUT = Setting.of(
            "io-timeout",
            "DURATION",
            "PT10S",
            "Bound on every blocking FFmpeg call on a network source, ISO-8601.",
            Setting.durationFrom(Duration.ofMillis(1)));
    public static final Setting<Duration> STALL_TIMEOUT = Setting.of(
            "stall-timeout",
            "DURATION",
            "PT15S",
            "Restart a live source silent this long, ISO-8601.",
            Setting.durationFrom(Duration.ofMillis(1)));
    public static final Setting<Duration> BACKOFF_MAX = Setting.of(
            "backoff-max",
            "DURATION",
            "PT30S",
            "Longest wait between reconnects of a live source (the wait starts at 0.5 s and doubles), ISO-8601.",
            Setting.durationFrom(Duration.ofMillis(1)));
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.of(
            "max-in-flight",
            "N",
            "64",
            "Recorded inputs: most frames per camera published but not yet segmented; 0 = no bound.",
            Setting.intWithin(0, 1_000_000));
    public static final Setting<Integer> LIVE_AHEAD = Setting.of(
            "live-ahead",
            "N",
            "0",
            "Live cameras: most frames per camera published but not yet segmented; the others are dropped before"
                    + " they are encoded, so an overloaded pipeline segments fresh frames; 0 = no bound.",
            Setting.intWithin(0, 1_000_000));

    public static final Duration DEFAULT_IO_TIMEOUT = IO_TIMEOUT.defaultOrFail();
    public static final Duration DEFAULT_STALL_TIMEOUT = STALL_TIMEOUT.defaultOrFail();
    /** The first wait before a reconnect; it doubles up to the backoff maximum. */
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(500);

    public static final Duration DEFAULT_BACKOFF_MAX = BACKOFF_MAX.defaultOrFail();
    public static final int DEFAULT_MAX_IN_FLIGHT = MAX_IN_FLIGHT.defaultOrFail();

    public IngestConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        segmenterGroups = List.copyOf(segmenterGroups);
        if (segmenterGroups.isEmpty()) {
            throw new IllegalArgumentException("at least one segmenter group");
        }
        kafka = Map.copyOf(kafka);
        partitions = Map.copyOf(partitions);
        if (partitions.values().stream().anyMatch(p -> p < 0)) {
            throw new IllegalArgumentException("partitions must be >= 0: " + partitions);
        }
        positive("ioTimeout", ioTimeout);
        positive("stallTimeout", stallTimeout);
        positive("backoffMin", backoffMin);
        positive("backoffMax", backoffMax);
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException(
                    "backoffMax " + backoffMax + " is shorter than backoffMin " + backoffMin);
        }
        if (liveAhead < 0) {
            throw new IllegalArgumentException("liveAhead must be >= 0, got " + liveAhead);
        }
        if (recordedAttempts < 1 || maxInFlight < 0 || liveQueue < 1 || liveMaxUnacked < 1) {
            throw new IllegalArgumentException(
                    "recordedAttempts, liveQueue and liveMaxUnacked must be >= 1 " + "and maxInFlight >= 0");
        }
    }

    /** The defaults: 10 s I/O timeout, 15 s stall, backoff 0.5 s to 30 s, 3 attempts, 64 frames in flight. */
    public static IngestConfig defaults(String bootstrapServers, Topics topics) {
        return new IngestConfig(
                bootstrapServers,
                topics,
                DEFAULT_IO_TIMEOUT,
                DEFAULT_STALL_TIMEOUT,
                DEFAULT_BACKOFF_MIN,
                DEFAULT_BACKOFF_MAX,
                3,
                DEFAULT_MAX_IN_FLIGHT,
                List.of(DEFAULT_SEGMENTER_GROUP),
                4,
                4,
                0,
                Map.of(),
                Map.of());
    }

    public IngestConfig withTimeouts(Duration io, Duration stall) {
        return with(e -> {
            e.ioTimeout = io;
            e.stallTimeout = stall;
        });
    }

    /** The backoff ending at {@code max}, starting at the default minimum (or at {@code max} when that is shorter). */
    public IngestConfig withBackoffMax(Duration max) {
        return withBackoff(max.compareTo(DEFAULT_BACKOFF_MIN) < 0 ? max : DEFAULT_BACKOFF_MIN, max);
    }

    public IngestConfig withBackoff(Duration min, Duration max) {
        return with(e -> {
            e.backoffMin = min;
            e.backoffMax = max;
        });
    }

    public IngestConfig withMaxInFlight(int n, List<String> groups) {
        return with(e -> {
            e.maxInFlight = n;
            e.segmenterGroups = groups;
        });
    }

    /** Further Kafka client properties (security, ...) for the producer and the admin client, applied last. */
    public IngestConfig withKafka(Map<String, String> properties) {
        return with(e -> e.kafka = properties);
    }

    /** Live cameras publish at most {@code n} frames ahead of the segmenters and drop the others; 0 = no bound. */
    public IngestConfig withLiveAhead(int n) {
        return with(e -> e.liveAhead = n);
    }

    public IngestConfig withSegmenterGroup(String group) {
        return withMaxInFlight(maxInFlight, List.of(group));
    }

    public IngestConfig withRecordedAttempts(int n) {
        return with(e -> e.recordedAttempts = n);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        Checks.atMost(name, d, Checks.LONGEST);
    }

    /** Pins each camera to its partition of the frames topic. */
    public IngestConfig withPartitions(Map<String, Integer> pinned) {
        return with(e -> e.partitions = pinned);
    }

    /** A copy with {@code change} made to its fields (the others as they are); the compact constructor checks it. */
    private IngestConfig with(Consumer<Fields> change) {
        return RecordEdit.apply(new Fields(this), change);
    }

    /** The fields a wither changes. */
    private static final class Fields implements RecordEdit<IngestConfig> {
        String bootstrapServers;
        Topics topics;
        Duration ioTimeout;
        Duration stallTimeout;
        Duration backoffMin;
        Duration backoffMax;
        int recordedAttempts;
        int maxInFlight;
        List<String> segmenterGroups;
        int liveQueue;
        int liveMaxUnacked;
        int liveAhead;
        Map<String, String> kafka;
        Map<String, Integer> partitions;

        Fields(IngestConfig c) {
            bootstrapServers = c.bootstrapServers();
            topics = c.topics();
            ioTimeout = c.ioTimeout();
            stallTimeout = c.stallTimeout();
            backoffMin = c.backoffMin();
            backoffMax = c.backoffMax();
            recordedAttempts = c.recordedAttempts();
            maxInFlight = c.maxInFlight();
            segmenterGroups = c.segmenterGroups();
            liveQueue = c.liveQueue();
            liveMaxUnacked = c.liveMaxUnacked();
            liveAhead = c.liveAhead();
            kafka = c.kafka();
            partitions = c.partitions();
        }

        @Override
        public IngestConfig done() {
            return new IngestConfig(
                    bootstrapServers,
                    topics,
                    ioTimeout,
                    stallTimeout,
                    backoffMin,
                    backoffMax,
                    recordedAttempts,
                    maxInFlight,
                    segmenterGroups,
                    liveQueue,
                    liveMaxUnacked,
                    liveAhead,
                    kafka,
                    partitions);
        }
    }
}
