package io.segstream.app.shadow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.app.ExitCode;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.KafkaClientProperties;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Partitions;
import io.segstream.protocol.TopicCreator;
import io.segstream.protocol.TopicSpec;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.sink.stats.EgoCorridor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
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
    private record FrameKey(String camera, UUID session, long sequence) {}

    /** A production mask; {@code batch}: the frames that shared its model call. */
    private record ProductionMask(MaskMeta meta, byte[] png, int batch) {

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

    /** Replays the range; 0 when frames were compared, 1 when the range held none, 2 when production cannot be read. */
    public int replay() throws IOException {
        return readingProduction(this::replayRange);
    }

    private int replayRange() throws IOException, InterruptedException, ExecutionException {
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
            Comparer comparer = new Comparer(productionModels, masks, shadow, comparisons, producer, true);
            int read = readFrames(comparer::frame);
            producer.flush();
            if (comparer.overall == null) {
                System.err.println("segstream shadow: no frame of " + cameraText() + " was captured between " + s.from()
                        + " and " + s.to() + " on " + s.production().frames() + " (" + read + " records read)");
                return ExitCode.FAILED.code();
            }
            comparer.finish();
            return ExitCode.OK.code();
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
    public int live(Duration window, BooleanSupplier running) throws IOException {
        return live(window, running, () -> {});
    }

    /** As {@link #live(Duration, BooleanSupplier)}; {@code ready} runs once it reads from the topics' ends. */
    public int live(Duration window, BooleanSupplier running, Runnable ready) throws IOException {
        return readingProduction(() -> shadowLive(window, running, ready));
    }

    private int shadowLive(Duration window, BooleanSupplier running, Runnable ready)
            throws IOException, InterruptedException, ExecutionException {
        String comparisons = comparisonsTopic();
        Topics shadow = Topics.withPrefix(s.shadowPrefix());
        Map<String, String> consumer = PRODUCTION_READER;
        try (KafkaProducer<String, byte[]> producer = prepare(shadow);
                KafkaConsumer<String, byte[]> frames = atEnd(s.production().frames(), consumer);
                KafkaConsumer<String, byte[]> maskRecords = atEnd(s.production().masks(), consumer)) {
            Map<FrameKey, ProductionMask> masks = new HashMap<>();
            Comparer comparer = new Comparer(productionModels(), masks, shadow, comparisons, producer, false);
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
            return ExitCode.OK.code();
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
        int run() throws IOException, InterruptedException, ExecutionException;
    }

    /** The exit code of {@code work}; 2 with one line when production's topics cannot be read. */
    private static int readingProduction(Reading work) throws IOException {
        try {
            return work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.REFUSED.code();
        } catch (ExecutionException e) {
            System.err.println("segstream shadow: cannot read the production topics: "
                    + e.getCause().getMessage());
            return ExitCode.REFUSED.code();
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

    /** Runs the candidate on each frame and compares, keeping the tallies and the frames the report shows. */
    private final class Comparer {

        private final Map<String, ModelDescription> productionModels;
        private final Map<FrameKey, ProductionMask> masks;
        private final Topics shadow;
        private final String comparisons;
        private final KafkaProducer<String, byte[]> producer;
        private final SegmentationModel.Predictor predictor;
        private final Map<String, ShadowTally> byCamera = new TreeMap<>();
        private final Map<String, ClassMapping> mappings = new HashMap<>();
        private final Set<Integer> described = new HashSet<>();
        private final ShadowReport.Worst worst = new ShadowReport.Worst(s.shown());
        private ShadowTally overall;
        private String productionModel = "";
        private long done;
        private long lastPrint;

        /** Whether the models' descriptions were read once (replay) or are read again for a model not known yet (live). */
        private final boolean replay;

        private long modelsReadNanos;

        Comparer(
                Map<String, ModelDescription> productionModels,
                Map<FrameKey, ProductionMask> masks,
                Topics shadow,
                String comparisons,
                KafkaProducer<String, byte[]> producer,
                boolean replay) {
            this.replay = replay;
            this.productionModels = new HashMap<>(productionModels);
            this.masks = masks;
            this.shadow = shadow;
            this.comparisons = comparisons;
            this.producer = producer;
            this.predictor = candidate.newPredictor();
        }

        void frame(ConsumerRecord<String, byte[]> r) {
            FrameMeta f = WireHeaders.readFrame(r.headers());
            FrameKey key = new FrameKey(r.key(), f.session(), f.sequence());
            ProductionMask prod = masks.get(key);
            ObjectNode entry = JSON.createObjectNode();
            entry.put("camera", key.camera());
            entry.put("session", key.session().toString());
            entry.put("sequence", key.sequence());
            entry.put("captureUs", f.captureMicros());
            LabelMap candidateMask = null;
            double candidateMs = Double.NaN;
            String candidateStatus = "ok";
            try {
                RgbImage image = FrameDecoder.decode(r.value(), f.width(), f.height());
                long t0 = System.nanoTime();
                candidateMask = WireHeaders.readScale(r.headers())
                        .map(sc -> predictor.segment(List.of(image), sc).get(0))
                        .orElseGet(() -> predictor.segment(image));
                candidateMs = (System.nanoTime() - t0) / 1e6;
                publishCandidateMask(r, f, candidateMask, candidateMs);
            } catch (RuntimeException e) {
                candidateStatus = "failed";
                LOG.warn("Camera {} frame {}: the candidate failed: {}", key.camera(), key.sequence(), e.getMessage());
            }
            String productionStatus =
                    prod == null ? "missing" : prod.meta().status().wireName();
            ObjectNode p = entry.putObject("production");
            p.put("model", prod == null ? "" : prod.meta().modelId());
            p.put("status", productionStatus);
            ShadowTally.number(p, "inferenceMs", prod == null ? Double.NaN : prod.inferenceMs());
            ObjectNode c = entry.putObject("candidate");
            c.put("model", candidate.id());
            c.put("status", candidateStatus);
            ShadowTally.number(c, "inferenceMs", candidateMs);
            if (prod != null
                    && !replay
                    && !productionModels.containsKey(prod.meta().modelId())
                    && System.nanoTime() - modelsReadNanos > 10_000_000_000L) {
                modelsReadNanos = System.nanoTime();
                productionModels.putAll(productionModels());
            }
            Optional<ModelDescription> prodModel = prod == null
                    ? Optional.empty()
                    : Optional.ofNullable(productionModels.get(prod.meta().modelId()));
            if (prod != null && prodModel.isEmpty() && prod.meta().status() == MaskStatus.OK) {
                productionStatus = "failed";
                LOG.warn(
                        "Production model {} has no description on {}",
                        prod.meta().modelId(),
                        s.production().models());
            }
            if (overall == null) {
                overall = new ShadowTally(mapping(prodModel.orElseGet(this::anyProductionModel)));
            }
            ShadowTally cam = byCamera.computeIfAbsent(
                    key.camera(), k -> new ShadowTally(mapping(prodModel.orElseGet(this::anyProductionModel))));
            boolean comparable = "ok".equals(productionStatus) && candidateMask != null && prodModel.isPresent();
            entry.put("compared", comparable);
            if (comparable) {
                productionModel = prodModel.get().model();
                LabelMap productionMask = MaskCodec.decode(prod.png(), f.width(), f.height());
                ClassMapping m = mapping(prodModel.get());
                FrameComparison fc = FrameComparison.of(
                        productionMask,
                        candidateMask,
                        m,
                        s.corridor(),
                        prodModel.get().groups(),
                        candidate.description().groups());
                cam.add(fc);
                overall.add(fc);
                cam.timed(prod.inferenceMs(), candidateMs);
                overall.timed(prod.inferenceMs(), candidateMs);
                ShadowTally.number(entry, "agreement", fc.agreement());
                ShadowTally.number(entry, "comparedPixels", fc.compared() / (double) fc.pixels());
                ObjectNode classes = entry.putObject("classes");
                for (String name : m.comparedClasses()) {
                    int k = prodModel
                            .get()
                            .taxonomy()
                            .byName(name)
                            .orElseThrow()
                            .id();
                    ObjectNode o = classes.putObject(name);
                    ShadowTally.number(
                            o, "iou", fc.union()[k] == 0 ? Double.NaN : fc.intersection()[k] / (double) fc.union()[k]);
                    ShadowTally.number(o, "production", fc.production()[k] / (double) fc.pixels());
                    ShadowTally.number(o, "candidate", fc.candidate()[k] / (double) fc.pixels());
                }
                ObjectNode driving = entry.putObject("driving");
                ObjectNode drivable = driving.putObject("drivable");
                ShadowTally.number(
                        drivable, "production", fc.productionDriving().drivable());
                ShadowTally.number(drivable, "candidate", fc.candidateDriving().drivable());
                fc.productionDriving().obstacles().forEach((g, o) -> {
                    ObjectNode n = driving.putObject(g);
                    ShadowTally.number(n, "production", o.nearestRow().orElse(Double.NaN));
                    ShadowTally.number(
                            n,
                            "candidate",
                            fc.candidateDriving()
                                    .obstacles()
                                    .get(g)
                                    .nearestRow()
                                    .orElse(Double.NaN));
                });
                worst.offer(
                        fc.agreement(),
                        new ShadowReport.Shown(
                                key.camera(),
                                key.sequence(),
                                fc.agreement(),
                                r.value(),
                                productionMask,
                                prodModel.get().taxonomy(),
                                candidateMask,
                                candidate.taxonomy()));
            } else if (!"ok".equals(productionStatus)) {
                cam.productionNotOk(productionStatus);
                overall.productionNotOk(productionStatus);
            } else {
                cam.candidateFailed();
                overall.candidateFailed();
            }
            producer.send(new ProducerRecord<>(
                    comparisons, r.partition(), key.camera(), entry.toString().getBytes(StandardCharsets.UTF_8)));
            done++;
            long now = System.nanoTime();
            if (now - lastPrint > 1_000_000_000L) {
                lastPrint = now;
                progress.printf(Locale.ROOT, "progress: shadow %d frames compared of %d%n", overall.compared(), done);
            }
        }

        /** A live frame left out because the candidate fell too far behind. */
        void candidateBehind(String camera) {
            if (overall != null) {
                overall.candidateBehind();
                byCamera.computeIfAbsent(camera, k -> new ShadowTally(overall.mapping()))
                        .candidateBehind();
            }
        }

        /** Publishes and prints the summaries of a live window, and starts the next. */
        void window(long startMs, long endMs) {
            if (overall == null) {
                return;
            }
            List<ObjectNode> summaries = summaries();
            for (ObjectNode summary : summaries) {
                ObjectNode w = summary.putObject("window");
                w.put("startMs", startMs);
                w.put("endMs", endMs);
                producer.send(new ProducerRecord<>(
                        comparisons,
                        summary.get("camera").asText(),
                        summary.toString().getBytes(StandardCharsets.UTF_8)));
            }
            progress.printf(
                    Locale.ROOT,
                    "segstream shadow: window %s to %s%n",
                    Instant.ofEpochMilli(startMs),
                    Instant.ofEpochMilli(endMs));
            ShadowReport.table(System.out, overall, summaries.get(summaries.size() - 1));
            last = summaries;
            lastOverall = overall;
            byCamera.clear();
            overall = null;
        }

        private List<ObjectNode> last = List.of();
        private ShadowTally lastOverall;

        private List<ObjectNode> summaries() {
            List<ObjectNode> summaries = new ArrayList<>();
            byCamera.forEach((camera, t) -> summaries.add(t.json(camera, productionModel, candidate.id())));
            summaries.add(overall.json("*", productionModel, candidate.id()));
            return summaries;
        }

        /** The report of a live run: its last window's summaries and the frames that disagreed most over the run. */
        void report() throws IOException {
            predictor.close();
            if (last.isEmpty()) {
                progress.println("segstream shadow: no frame was compared");
                return;
            }
            Files.createDirectories(s.out());
            Files.writeString(
                    s.out().resolve("shadow-summary.json"),
                    JSON.valueToTree(last).toPrettyString());
            ShadowReport.write(
                    s.out().resolve("shadow-report.html"),
                    s,
                    candidate.id(),
                    productionModel,
                    last.get(last.size() - 1),
                    last,
                    worst);
        }

        private ModelDescription anyProductionModel() {
            return productionModels.values().stream()
                    .findFirst()
                    .orElse(ModelDescription.of("unknown", candidate.taxonomy()));
        }

        private ClassMapping mapping(ModelDescription production) {
            return mappings.computeIfAbsent(
                    production.model(),
                    id -> s.mapping()
                            .map(f -> ClassMapping.read(f, production.taxonomy(), candidate.taxonomy()))
                            .orElseGet(() -> ClassMapping.byName(production.taxonomy(), candidate.taxonomy())));
        }

        private void publishCandidateMask(ConsumerRecord<String, byte[]> frame, FrameMeta f, LabelMap mask, double ms) {
            if (described.add(frame.partition())) {
                ProducerRecord<String, byte[]> d = new ProducerRecord<>(
                        shadow.masks(),
                        frame.partition(),
                        candidate.id(),
                        ModelDescriptionJson.write(candidate.description()).getBytes(StandardCharsets.UTF_8));
                WireHeaders.writeModelDescription(d.headers());
                producer.send(d);
            }
            ProducerRecord<String, byte[]> out =
                    new ProducerRecord<>(shadow.masks(), frame.partition(), frame.key(), MaskCodec.encode(mask));
            WireHeaders.writeMask(out.headers(), new MaskMeta(f, candidate.id(), Math.round(ms * 1000), MaskStatus.OK));
            producer.send(out);
        }

        void finish() throws IOException {
            predictor.close();
            List<ObjectNode> summaries = summaries();
            ObjectNode all = summaries.get(summaries.size() - 1);
            for (ObjectNode summary : summaries) {
                producer.send(new ProducerRecord<>(
                        comparisons,
                        summary.get("camera").asText(),
                        summary.toString().getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            Files.createDirectories(s.out());
            ArrayNode list = JSON.createArrayNode();
            summaries.forEach(list::add);
            Files.writeString(s.out().resolve("shadow-summary.json"), list.toPrettyString());
            ShadowReport.write(
                    s.out().resolve("shadow-report.html"), s, candidate.id(), productionModel, all, summaries, worst);
            ShadowReport.table(System.out, overall, all);
            progress.println(
                    "segstream shadow: " + overall.compared() + " of " + overall.frames() + " frames compared; "
                            + "comparisons on " + comparisons + ", candidate masks on " + shadow.masks() + ", report "
                            + s.out().resolve("shadow-report.html"));
        }
    }
}
