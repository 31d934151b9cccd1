package io.segstream.sink.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.PictureSize;
import io.segstream.protocol.Size;
import io.segstream.protocol.Taxonomy;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.output.Rebuilder;
import io.segstream.sink.overlay.OverlayRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes again what a damaged overlay part lost, from the topics: the session's frames and masks
 * from this task's partition of frames and masks, the model descriptions the masks name, and
 * the statistics lines as frame-stats holds them (read_committed), rendered as the sink renders
 * them. At most {@link #MAX_FRAMES} frames are made again at once.
 */
final class TopicRebuilder implements Rebuilder {

    /** The most frames one repair makes again (their pictures are held while the topics are read). */
    static final int MAX_FRAMES = 3000;

    private static final Logger LOG = LoggerFactory.getLogger(TopicRebuilder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_LIMIT = Duration.ofMinutes(2);
    private static final Taxonomy NO_CLASSES = Taxonomy.neutral(1);

    private final SinkConfig config;
    private final int partition;
    private final double overlayAlpha;

    TopicRebuilder(SinkConfig config, int partition, double overlayAlpha) {
        this.config = config;
        this.partition = partition;
        this.overlayAlpha = overlayAlpha;
    }

    @Override
    public List<Frame> rebuild(String camera, UUID session, long from, long to) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TreeMap<Long, ConsumerRecord<String, byte[]>> frames = new TreeMap<>();
            read(
                    consumer,
                    List.of(new TopicPartition(config.topics().frames(), partition)),
                    (r, meta) -> {
                        if (frames.size() < MAX_FRAMES) {
                            frames.put(meta.sequence(), r);
                        }
                    },
                    camera,
                    session,
                    from,
                    to);
            if (frames.isEmpty()) {
                return List.of();
            }
            Map<Long, ConsumerRecord<String, byte[]>> masks = new HashMap<>();
            Map<String, ModelDescription> models = new HashMap<>();
            readMasks(consumer, camera, session, from, Math.min(to, frames.lastKey() + 1), masks, models);
            Map<Long, String> lines = statsLines(consumer, camera, session, from, frames.lastKey() + 1);
            return render(camera, frames, masks, models, lines);
        } catch (RuntimeException e) {
            LOG.error("Camera {}: the topics could not be read to make a damaged part again: {}", camera, e.toString());
            return List.of();
        }
    }

    private List<Frame> render(
            String camera,
            TreeMap<Long, ConsumerRecord<String, byte[]>> frames,
            Map<Long, ConsumerRecord<String, byte[]>> masks,
            Map<String, ModelDescription> models,
            Map<Long, String> lines) {
        List<Frame> out = new ArrayList<>();
        try (OverlayRenderer renderer = new OverlayRenderer(overlayAlpha)) {
            for (Map.Entry<Long, ConsumerRecord<String, byte[]>> e : frames.entrySet()) {
                String line = lines.get(e.getKey());
                ConsumerRecord<String, byte[]> frame = e.getValue();
                FrameMeta meta = WireHeaders.readFrame(frame.headers());
                Optional<Size> pictured = PictureSize.read(frame.value());
                if (line == null
                        || pictured.isEmpty()
                        || pictured.get().width() != meta.width()
                        || pictured.get().height() != meta.height()) {
                    continue; // not in the video: no statistics committed, or the picture is not its headers' size
                }
                out.add(frame(renderer, camera, meta, frame.value(), masks.get(e.getKey()), models, line));
            }
        }
        return out;
    }

    private static Frame frame(
            OverlayRenderer renderer,
            String camera,
            FrameMeta meta,
            byte[] picture,
            ConsumerRecord<String, byte[]> maskRecord,
            Map<String, ModelDescription> models,
            String line) {
        JsonNode stats = readJson(line);
        MaskStatus status = MaskStatus.fromWire(stats.path("status").asText());
        LabelMap labels = null;
        Taxonomy taxonomy = NO_CLASSES;
        if (status == MaskStatus.OK && maskRecord != null) {
            MaskMeta mask = WireHeaders.readMask(maskRecord.headers());
            ModelDescription model = models.get(mask.modelId() + '\0' + mask.modelDigest());
            if (model != null) {
                labels = MaskCodec.decode(maskRecord.value(), meta.width(), meta.height());
                taxonomy = model.taxonomy();
            }
        }
        Map<String, Double> fractions = new LinkedHashMap<>();
        stats.path("classes")
                .properties()
                .forEach(c -> fractions.put(c.getKey(), c.getValue().asDouble()));
        return new Frame(
                meta.sequence(),
                meta.frameRate(),
                renderer.render(picture, camera, meta, status, labels, fractions, Double.NaN, taxonomy),
                line);
    }

    /** The session's masks in [from, to) by sequence, and every model description of the partition by id and digest. */
    private void readMasks(
            KafkaConsumer<String, byte[]> consumer,
            String camera,
            UUID session,
            long from,
            long to,
            Map<Long, ConsumerRecord<String, byte[]>> masks,
            Map<String, ModelDescription> models) {
        scan(consumer, List.of(new TopicPartition(config.topics().masks(), partition)), r -> {
            if (WireHeaders.isModelDescription(r.headers())) {
                ModelDescription d = ModelDescriptionJson.read(r.value());
                if (d.model().equals(r.key())) {
                    models.put(d.model() + '\0' + ModelDescriptionJson.digest(d), d);
                }
            } else {
                ofSession(r, camera, session, from, to).ifPresent(meta -> masks.put(meta.sequence(), r));
            }
        });
    }

    /** The camera's records of the session with a sequence in [from, to), to {@code take}. */
    private void read(
            KafkaConsumer<String, byte[]> consumer,
            List<TopicPartition> parts,
            BiConsumer<ConsumerRecord<String, byte[]>, FrameMeta> take,
            String camera,
            UUID session,
            long from,
            long to) {
        scan(consumer, parts, r -> ofSession(r, camera, session, from, to).ifPresent(meta -> take.accept(r, meta)));
    }

    /** The record's frame identity when it is one of the camera's session in [from, to). */
    private static Optional<FrameMeta> ofSession(
            ConsumerRecord<String, byte[]> r, String camera, UUID session, long from, long to) {
        if (!camera.equals(r.key()) || WireHeaders.isEndOfStream(r.headers())) {
            return Optional.empty();
        }
        FrameMeta meta = WireHeaders.readFrame(r.headers());
        boolean in = meta.session().equals(session) && meta.sequence() >= from && meta.sequence() < to;
        return in ? Optional.of(meta) : Optional.empty();
    }

    /** Every record of the partitions up to their end now (at most {@link #READ_LIMIT}), to {@code each}. */
    private static void scan(
            KafkaConsumer<String, byte[]> consumer,
            List<TopicPartition> parts,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        long deadline = System.nanoTime() + READ_LIMIT.toNanos();
        while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                try {
                    each.accept(r);
                } catch (MalformedRecordException e) {
                    // a record the join refused: not in the files either
                }
            }
        }
    }

    /** The session's frame-stats lines by sequence, as committed. */
    private Map<Long, String> statsLines(
            KafkaConsumer<String, byte[]> consumer, String camera, UUID session, long from, long to) {
        Map<Long, String> lines = new HashMap<>();
        List<TopicPartition> parts = consumer.partitionsFor(config.topics().frameStats()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        read(
                consumer,
                parts,
                (r, meta) -> lines.put(meta.sequence(), new String(r.value(), StandardCharsets.UTF_8)),
                camera,
                session,
                from,
                to);
        return lines;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> own = Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_RECORD_BYTES);
        return new KafkaConsumer<>(
                KafkaClientProperties.consumer(config.bootstrapServers(), own, config.kafka()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static JsonNode readJson(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new MalformedRecordException("a frame-stats line that does not parse: " + e.getMessage(), e);
        }
    }
}
