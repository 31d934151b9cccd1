package io.segstream.app.shadow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.TopicSpec;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.Partitions;
import io.segstream.runtime.Setting;
import io.segstream.runtime.TopicCreator;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.sink.stats.EgoCorridor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadows production with a candidate model on frames already on Kafka: reads a camera range of
 * production's frames and masks (offsets found by timestamp, read by assignment, so no consumer
 * group and no production offset is touched), runs the candidate on each frame, publishes its masks
 * and model description under the shadow prefix, compares each frame's two masks
 * ({@link FrameComparison}) and publishes the comparison on {@code <shadow prefix>shadow}, then
 * the summaries per camera and overall; prints a table and writes {@code shadow-report.html}.
 */
public final class ShadowRun {

    public static final Setting<String> SHADOW_PREFIX = Setting.of(
            "shadow-prefix",
            "P",
            "shadow.",
            "Prefix of the candidate's masks, models and comparison (<P>shadow) topics; not the --topic-prefix.",
            Setting.matching(Pattern.compile("[A-Za-z0-9._-]{1,100}"), "1-100 of A-Z a-z 0-9 . _ -"));
    public static final Setting<Duration> WINDOW = Setting.of(
            "window",
            "DURATION",
            "PT1M",
            "Live: the length of a summary window, ISO-8601.",
            Setting.durationFrom(Duration.ofSeconds(1)));
    public static final Setting<Integer> MAX_FRAMES = Setting.of(
            "max-frames", "N", "20000", "The most frames one replay takes.", Setting.intWithin(1, 1_000_000));
    public static final Setting<Integer> SHOW =
            Setting.of("show", "N", "4", "Most-disagreeing frames shown in the report.", Setting.intWithin(0, 50));

    /** How a run ended; the command turns it into its exit code. */
    public enum Outcome {
        /** compared and reported */
        DONE,
        /** no frame of the cameras was captured in the range */
        NOTHING_CAPTURED,
        /** production's topics could not be read */
        CANNOT_READ
    }

    /** Records are read from this long before the range's start: a record's timestamp trails its capture. */
    static final Duration SLACK = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ShadowRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param production    production's topics
     * @param shadowPrefix  the prefix of the candidate's masks, models and comparison topics
     * @param cameras       the cameras shadowed; empty: all
     * @param from          capture time of the first frame, inclusive
     * @param to            capture time the range ends, exclusive
     * @param mapping       candidate class to production class pairs (YAML); empty: classes of the same name
     * @param maxFrames     the most frames one replay takes
     * @param shown         the most-disagreeing frames shown in the report
     */
    public record Settings(
            String bootstrapServers,
            Map<String, String> kafka,
            Topics production,
            String shadowPrefix,
            Optional<Pattern> cameras,
            Instant from,
            Instant to,
            Optional<Path> mapping,
            Path out,
            int maxFrames,
            int shown,
            EgoCorridor corridor) {}

    /** A frame's identity on Kafka. */
    record FrameKey(String camera, UUID session, long sequence) {}

    /** A production mask; {@code batch}: the frames that shared its model call. */
    record ProductionMask(MaskMeta meta, byte[] png, int batch) {

        /** Production's time in the model for this frame: its batch's call shared among the batch's frames. */
        double inferenceMs() {
            return meta.inferenceMicros() / 1000.0 / batch;
        }
    }

    private final Settings s;
    private final SegmentationModel candidate;
    private final PrintStream progress;

    public ShadowRun(Settings settings, SegmentationModel candidate, PrintStream progress) {
        this.s = settings;
        this.candidate = candidate;
        this.progress = progress;
    }

    /** Replays the range: {@link Outcome#DONE} when frames were compared, {@link Outcome#NOTHING_CAPTURED} when the range held none. */
    public Outcome replay() throws IOException {
        return readingProduction(this::replayRange);
    }

    private Outcome replayRange() throws IOException, InterruptedException, ExecutionException {
        String comparisons = comparisonsTopic();
        Topics shadow = Topics.withPrefix(s.shadowPrefix());
        try (KafkaProducer<String, byte[]> producer = prepare(shadow)) {
            Map<String, ModelDescription> productionModels = productionModels();
            Map<FrameKey, ProductionMask> masks = productionMasks();
            LOG.info(
                    "Shadow of {} by {}: {} production masks in the range; production models {}",
                    s.production().frames(),
                    candidate.id(),
                    masks.size(),
                    productionModels.keySet());
            ShadowComparer comparer = new ShadowComparer(
                    s, candidate, progress, () -> productionModels, masks, shadow, comparisons, producer, true);
            int read = readFrames(comparer::frame);
            producer.flush();
            if (comparer.none()) {
                System.err.println("segstream shadow: no frame of " + cameraText() + " was captured between " + s.from()
                        + " and " + s.to() + " on " + s.production().frames() + " (" + read + " records read)");
                return Outcome.NOTHING_CAPTURED;
            }
            comparer.finish();
            return Outcome.DONE;
        }
    }

    /**
     * Creates the shadow's topics (masks, models, comparisons) where missing and publishes the
     * candidate's description; the producer is the caller's to close.
     */
    private KafkaProducer<String, byte[]> prepare(Topics shadow) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(KafkaClientProperties.admin(s.bootstrapServers(), Map.of(), s.kafka()))) {
            int partitions = admin.describeTopics(List.of(s.production().frames()))
                    .allTopicNames()
                    .get()
                    .get(s.production().frames())
                    .partitions()
                    .size();
            Map<String, String> large = Map.of("max.message.bytes", Integer.toString(Topics.MAX_RECORD_BYTES));
            TopicCreator.ensure(
                    admin,
                    List.of(
                            new TopicSpec(shadow.masks(), partitions, (short) 1, large, false),
                            new TopicSpec(shadow.models(), 1, (short) 1, Map.of("cleanup.policy", "compact"), false),
                            new TopicSpec(comparisonsTopic(), partitions, (short) 1, Map.of(), false)));
        }
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
        producer.send(new ProducerRecord<>(
                shadow.models(),
                candidate.id(),
                ModelDescriptionJson.write(candidate.description()).getBytes(StandardCharsets.UTF_8)));
        return producer;
    }

    /**
     * Shadows live from now until {@code running} turns false: each new frame of the cameras shadowed
     * is compared once production's mask for it has come (or counted missing after
     * {@link #MASK_WAIT}); the summaries of each {@code window} are published and printed, and the
     * report is written at the end. Returns 0, or 2 when production cannot be read.
     */
    public Outcome live(Duration window, BooleanSupplier running) throws IOException {
        return live(window, running, () -> {});
    }

    /** As {@link #live(Duration, BooleanSupplier)}; {@code ready} runs once it reads from the topics' ends. */
    public Outcome live(Duration window, BooleanSupplier running, Runnable ready) throws IOException {
        return readingProduction(() -> shadowLive(window, running, ready));
    }

    private Outcome shadowLive(Duration window, BooleanSupplier running, Runnable ready)
            throws IOException, InterruptedException, ExecutionException {
        String comparisons = comparisonsTopic();
        Topics shadow = Topics.withPrefix(s.shadowPrefix());
        Map<String, String> consumer = PRODUCTION_READER;
        try (KafkaProducer<String, byte[]> producer = prepare(shadow);
                KafkaConsumer<String, byte[]> frames = atEnd(s.production().frames(), consumer);
                KafkaConsumer<String, byte[]> maskRecords = atEnd(s.production().masks(), consumer)) {
            Map<FrameKey, ProductionMask> masks = new HashMap<>();
            ShadowComparer comparer = new ShadowComparer(
                    s, candidate, progress, this::productionModels, masks, shadow, comparisons, producer, false);
            LinkedHashMap<FrameKey, Pending> pending = new LinkedHashMap<>();
            long windowStart = System.currentTimeMillis();
            LOG.info("Shadowing {} live with {}, windows of {}", s.production().frames(), candidate.id(), window);
            ready.run();
            while (running.getAsBoolean()) {
                for (ConsumerRecord<String, byte[]> r : frames.poll(Duration.ofMillis(100))) {
                    accept(r).ifPresent(key -> pending.put(key, new Pending(r, System.nanoTime())));
                }
                for (ConsumerRecord<String, byte[]> r : maskRecords.poll(Duration.ofMillis(20))) {
                    keep(r, masks, false);
                }
                while (pending.size() > MAX_PENDING) {
                    FrameKey oldest = pending.keySet().iterator().next();
                    pending.remove(oldest);
                    comparer.candidateBehind(oldest.camera());
                }
                for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    boolean due = masks.containsKey(e.getKey())
                            || System.nanoTime() - e.getValue().arrivedNanos() > MASK_WAIT.toNanos();
                    if (due) {
                        comparer.frame(e.getValue().record());
                        masks.remove(e.getKey());
                        it.remove();
                    }
                }
                long now = System.currentTimeMillis();
                if (now - windowStart >= window.toMillis()) {
                    comparer.window(windowStart, now);
                    windowStart = now;
                }
            }
            comparer.window(windowStart, System.currentTimeMillis());
            comparer.report();
            return Outcome.DONE;
        }
    }

    /** How the shadow reads production's topics: what was committed, by assignment, nothing committed back. */
    private static final Map<String, String> PRODUCTION_READER = Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            Integer.toString(Topics.MAX_RECORD_BYTES));

    /** Work that reads production's topics. */
    private interface Reading {
        Outcome run() throws IOException, InterruptedException, ExecutionException;
    }

    /** How {@code work} ended; {@link Outcome#CANNOT_READ} with one line when production's topics cannot be read. */
    private static Outcome readingProduction(Reading work) throws IOException {
        try {
            return work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.CANNOT_READ;
        } catch (ExecutionException e) {
            System.err.println("segstream shadow: cannot read the production topics: "
                    + e.getCause().getMessage());
            return Outcome.CANNOT_READ;
        }
    }

    /** How long a live frame waits for production's mask before it counts as missing. */
    static final Duration MASK_WAIT = Duration.ofMinutes(2);
    /** Live frames waiting for the candidate or for production's mask; beyond it the oldest is left out, counted. */
    static final int MAX_PENDING = 500;

    private record Pending(ConsumerRecord<String, byte[]> record, long arrivedNanos) {}

    private KafkaConsumer<String, byte[]> atEnd(String topic, Map<String, String> props) {
        KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(consumerProps(props), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = Partitions.of(c, topic);
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    /** The key of a frame record to shadow live, if it is one. */
    private Optional<FrameKey> accept(ConsumerRecord<String, byte[]> r) {
        if (!shadowed(r) || WireHeaders.isEndOfStream(r.headers())) {
            return Optional.empty();
        }
        try {
            FrameMeta f = WireHeaders.readFrame(r.headers());
            return Optional.of(new FrameKey(r.key(), f.session(), f.sequence()));
        } catch (MalformedRecordException e) {
            return Optional.empty();
        }
    }

    String comparisonsTopic() {
        return s.shadowPrefix() + "shadow";
    }

    private String cameraText() {
        return s.cameras().map(p -> "cameras " + p.pattern()).orElse("any camera");
    }

    /** The production models' descriptions, from the compacted models topic. */
    private Map<String, ModelDescription> productionModels() {
        Map<String, ModelDescription> out = new HashMap<>();
        readAll(s.production().models(), Optional.empty(), r -> {
            try {
                out.put(r.key(), ModelDescriptionJson.read(r.value()));
            } catch (MalformedRecordException e) {
                LOG.warn("Production model description {} is unreadable: {}", r.key(), e.getMessage());
            }
        });
        return out;
    }

    /** Production's masks of frames captured in the range, by frame. */
    private Map<FrameKey, ProductionMask> productionMasks() {
        Map<FrameKey, ProductionMask> out = new HashMap<>();
        readAll(s.production().masks(), Optional.of(s.from().minus(SLACK)), r -> keep(r, out, true));
        return out;
    }

    /** Keeps a production mask of a camera shadowed (in the range, when {@code ranged}), up to --max-frames of them. */
    private void keep(ConsumerRecord<String, byte[]> r, Map<FrameKey, ProductionMask> masks, boolean ranged) {
        if (!shadowed(r) || WireHeaders.isEndOfStream(r.headers()) || WireHeaders.isModelDescription(r.headers())) {
            return;
        }
        try {
            MaskMeta m = WireHeaders.readMask(r.headers());
            if ((!ranged || inRange(m.frame())) && masks.size() < s.maxFrames()) {
                masks.putIfAbsent(
                        new FrameKey(r.key(), m.frame().session(), m.frame().sequence()),
                        new ProductionMask(m, r.value(), WireHeaders.readBatchSize(r.headers())));
            }
        } catch (MalformedRecordException e) {
            LOG.debug("Skipping a malformed mask record: {}", e.getMessage());
        }
    }

    /** Feeds each frame captured in the range, of the cameras shadowed, to {@code sink}; returns the records read. */
    private int readFrames(Consumer<ConsumerRecord<String, byte[]>> sink) {
        int[] read = {0};
        int[] taken = {0};
        readAll(s.production().frames(), Optional.of(s.from().minus(SLACK)), r -> {
            read[0]++;
            if (!shadowed(r) || WireHeaders.isEndOfStream(r.headers()) || taken[0] >= s.maxFrames()) {
                return;
            }
            try {
                if (inRange(WireHeaders.readFrame(r.headers()))) {
                    taken[0]++;
                    sink.accept(r);
                }
            } catch (MalformedRecordException e) {
                LOG.debug("Skipping a malformed frame record: {}", e.getMessage());
            }
        });
        if (taken[0] >= s.maxFrames()) {
            LOG.warn(
                    "The range holds more than {} frames; the replay took the first {} (--max-frames)",
                    s.maxFrames(),
                    s.maxFrames());
        }
        return read[0];
    }

    private boolean shadowed(ConsumerRecord<String, byte[]> r) {
        return CameraId.valid(r.key())
                && s.cameras().map(p -> p.matcher(r.key()).matches()).orElse(true);
    }

    private boolean inRange(FrameMeta f) {
        long from = ChronoUnit.MICROS.between(Instant.EPOCH, s.from());
        long to = ChronoUnit.MICROS.between(Instant.EPOCH, s.to());
        return f.captureMicros() >= from && f.captureMicros() < to;
    }

    /**
     * Reads a topic by assignment (no group, no commit) from the first offset at or after
     * {@code start} (or the beginning) up to the end offsets as they are now.
     */
    private void readAll(String topic, Optional<Instant> start, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, String> consumer = PRODUCTION_READER;
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(consumerProps(consumer), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = Partitions.of(c, topic);
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            if (start.isPresent()) {
                Map<TopicPartition, Long> at = new HashMap<>();
                parts.forEach(p -> at.put(p, start.get().toEpochMilli()));
                for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
                        c.offsetsForTimes(at).entrySet()) {
                    c.seek(
                            e.getKey(),
                            e.getValue() == null
                                    ? end.get(e.getKey())
                                    : e.getValue().offset());
                }
            } else {
                c.seekToBeginning(parts);
            }
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    private Properties consumerProps(Map<String, String> own) {
        return KafkaClientProperties.consumer(s.bootstrapServers(), own, s.kafka());
    }

    private Properties producerProps() {
        return KafkaClientProperties.producer(
                s.bootstrapServers(),
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Topics.MAX_RECORD_BYTES),
                s.kafka());
    }
}
