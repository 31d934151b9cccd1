package io.segstream.sink.topology;

import io.segstream.protocol.Topics;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.output.Recordings;
import io.segstream.sink.stats.StatsAggregate;
import io.segstream.sink.view.LiveBoard;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The sink's topology, a pure function of its configuration:
 * frames + masks → join (state stores, sequence order, mask timeout) → statistics and session summaries in
 * each mask's model's terms (the model descriptions that come in-band on masks) → recordings (overlay
 * files, when an output directory is set), the live view's board (when there is one), frame-stats records, and
 * tumbling windows per camera → camera-stats.
 */
public final class SinkTopology {

    private SinkTopology() {}

    /** The nodes, named once. */
    static final String FRAMES = "frames";

    static final String MASKS = "masks";
    static final String JOIN = "join";
    static final String STATISTICS = "statistics";
    static final String RECORDINGS = "recordings";
    static final String FRAME_STATS_RECORDS = "frame-stats-records";
    static final String FRAME_STATS = "frame-stats";
    static final String WINDOWS = "windows";
    static final String CAMERA_STATS = "camera-stats";
    static final String VIEW = "view";

    /** A store of the join, keyed like the frames: which instance holds a camera's partition ({@code KafkaStreams#queryMetadataForKey}). */
    public static final String CAMERA_KEYED_STORE = FrameMaskJoiner.SESSIONS_STORE;

    public static Topology build(SinkConfig config) {
        return build(config, Optional.empty(), new CommitBarrier());
    }

    /**
     * The topology; with a board, each frame and session end also goes to the live view. The
     * recordings register what a commit must wait for with {@code barrier}.
     */
    public static Topology build(SinkConfig config, Optional<LiveBoard> board, CommitBarrier barrier) {
        return build(config, board, barrier, HeldRecords.Limits.DEFAULT);
    }

    /** As above, with the bounds of what the join holds while frames and masks wait for each other. */
    static Topology build(
            SinkConfig config, Optional<LiveBoard> board, CommitBarrier barrier, HeldRecords.Limits held) {
        Topics topics = config.topics();
        HeldRecords.Budget budget = new HeldRecords.Budget(); // shared by every task of this sink instance
        Topology t = new Topology();
        t.addSource(FRAMES, new StringDeserializer(), new ByteArrayDeserializer(), topics.frames());
        t.addSource(MASKS, new StringDeserializer(), new ByteArrayDeserializer(), topics.masks());
        t.addProcessor(
                JOIN, () -> new FrameMaskJoiner(topics.frames(), config.maskTimeout(), held, budget), FRAMES, MASKS);
        t.addStateStore(store(FrameMaskJoiner.FRAMES_STORE, StoredRecord.SERDE), JOIN);
        t.addStateStore(store(FrameMaskJoiner.MASKS_STORE, StoredRecord.SERDE), JOIN);
        t.addStateStore(store(FrameMaskJoiner.SESSIONS_STORE, FrameMaskJoiner.Progress.SERDE), JOIN);
        t.addProcessor(STATISTICS, () -> new StatisticsProcessor(config.corridor()), JOIN);
        t.addStateStore(store(StatisticsProcessor.SUMMARIES_STORE, STATS), STATISTICS);
        t.addStateStore(store(DescribedModels.STORE, Serdes.String()), STATISTICS);
        // The recordings come first among the statistics' children: a session's files are finished
        // before its end-of-stream record goes out on frame-stats.
        config.outputDir().ifPresent(dir -> {
            t.addProcessor(
                    RECORDINGS,
                    () -> new RecordingsProcessor(
                            partition -> new Recordings(
                                    dir,
                                    config.liveSegment(),
                                    new TopicRebuilder(config, partition, config.overlayAlpha())),
                            config.overlayAlpha(),
                            barrier),
                    STATISTICS);
        });
        board.ifPresent(b -> t.addProcessor(VIEW, () -> new ViewProcessor(b), STATISTICS));
        t.addProcessor(FRAME_STATS_RECORDS, FrameStatsRecords::new, STATISTICS);
        t.addSink(
                FRAME_STATS, topics.frameStats(), new StringSerializer(), new StringSerializer(), FRAME_STATS_RECORDS);
        t.addProcessor(WINDOWS, () -> new WindowProcessor(config.windows()), STATISTICS);
        t.addStateStore(store(WindowProcessor.STORE, STATS), WINDOWS);
        t.addSink(CAMERA_STATS, topics.cameraStats(), new StringSerializer(), new StringSerializer(), WINDOWS);
        return t;
    }

    /** Statistics being summed up (a session's summary, a window). */
    static final Serde<StatsAggregate> STATS = StoreSerde.of(StatsAggregate::toBytes, StatsAggregate::fromBytes);

    /** A changelogged in-memory store keyed by text. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(Topics.MAX_RECORD_BYTES)));
    }
}
