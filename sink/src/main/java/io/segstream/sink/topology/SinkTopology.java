package io.segstream.sink.topology;

import io.segstream.protocol.Topics;
import io.segstream.sink.SinkConfig;
import io.segstream.sink.output.Recordings;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The sink's topology, a pure function of its configuration:
 * frames + masks → join (state stores, sequence order, mask timeout) → statistics, session summaries and
 * overlay files in each mask's model's terms (the model descriptions that come in-band on masks) → frame-stats;
 * → tumbling windows per camera → camera-stats.
 */
public final class SinkTopology {

    private SinkTopology() {
    }

    public static Topology build(SinkConfig config) {
        Topics topics = config.topics();
        Topology t = new Topology();
        t.addSource("frames", new StringDeserializer(), new ByteArrayDeserializer(), topics.frames());
        t.addSource("masks", new StringDeserializer(), new ByteArrayDeserializer(), topics.masks());
        t.addProcessor("join", () -> new FrameMaskJoiner(topics.frames(), config.maskTimeout()), "frames", "masks");
        t.addStateStore(store(FrameMaskJoiner.FRAMES_STORE), "join");
        t.addStateStore(store(FrameMaskJoiner.MASKS_STORE), "join");
        t.addStateStore(store(FrameMaskJoiner.SESSIONS_STORE), "join");
        t.addProcessor("output", () -> new OutputProcessor(config.overlayAlpha(), config.corridor(),
                config.outputDir().map(dir -> new Recordings(dir, config.liveSegment())), "frame-stats", "windows"), "join");
        t.addStateStore(store(OutputProcessor.SUMMARIES_STORE), "output");
        t.addStateStore(store(DescribedModels.STORE), "output");
        t.addStateStore(WritesBarrier.builder(), "output");
        t.addSink("frame-stats", topics.frameStats(), new StringSerializer(), new StringSerializer(), "output");
        t.addProcessor("windows", () -> new WindowProcessor(config.windows()), "output");
        t.addStateStore(store(WindowProcessor.STORE), "windows");
        t.addSink("camera-stats", topics.cameraStats(), new StringSerializer(), new StringSerializer(), "windows");
        return t;
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(Topics.MAX_RECORD_BYTES)));
    }
}
