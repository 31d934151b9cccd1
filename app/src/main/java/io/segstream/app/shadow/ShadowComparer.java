package io.segstream.app.shadow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.app.shadow.ShadowRun.FrameKey;
import io.segstream.app.shadow.ShadowRun.ProductionMask;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the candidate on each production frame and compares its mask with production's: publishes
 * the candidate's masks and one comparison per frame, keeps the tallies per camera and overall and
 * the frames the report shows, and writes the summaries and the report.
 */
final class ShadowComparer {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowComparer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a live shadow reads the models topic again for a production model it does not know. */
    private static final long MODELS_REREAD_NANOS = 10_000_000_000L;

    /** The candidate's answer for one frame: its mask (null when it failed) and its time in the model. */
    private record CandidateMask(LabelMap mask, double ms) {

        String status() {
            return mask == null ? "failed" : "ok";
        }
    }

    private final ShadowRun.Settings s;
    private final SegmentationModel candidate;
    private final PrintStream progress;
    private final Supplier<Map<String, ModelDescription>> readModels;
    private final Map<String, ModelDescription> productionModels;
    private final Map<FrameKey, ProductionMask> masks;
    private final Topics shadow;
    private final String comparisons;
    private final KafkaProducer<String, byte[]> producer;
    private final SegmentationModel.Predictor predictor;
    private final Map<String, ShadowTally> byCamera = new TreeMap<>();
    private final Map<String, ClassMapping> mappings = new HashMap<>();
    private final Set<Integer> described = new HashSet<>();
    private final ShadowReport.Worst worst;
    /** Whether the models' descriptions were read once (replay) or are read again for a model not known yet (live). */
    private final boolean replay;

    private ShadowTally overall;
    private String productionModel = "";
    private long done;
    private long lastPrint;
    private long modelsReadNanos;
    private List<ObjectNode> last = List.of();

    /**
     * @param readModels reads the production models' descriptions again (a live shadow meeting a model it does
     *     not know yet)
     */
    ShadowComparer(
            ShadowRun.Settings s,
            SegmentationModel candidate,
            PrintStream progress,
            Supplier<Map<String, ModelDescription>> readModels,
            Map<FrameKey, ProductionMask> masks,
            Topics shadow,
            String comparisons,
            KafkaProducer<String, byte[]> producer,
            boolean replay) {
        this.s = s;
        this.candidate = candidate;
        this.progress = progress;
        this.readModels = readModels;
        this.productionModels = new HashMap<>(readModels.get());
        this.masks = masks;
        this.shadow = shadow;
        this.comparisons = comparisons;
        this.producer = producer;
        this.replay = replay;
        this.worst = new ShadowReport.Worst(s.shown());
        this.predictor = candidate.newPredictor();
    }

    /** Whether no frame has come to compare (in a live run: in this window). */
    boolean none() {
        return overall == null;
    }

    /** Runs the candidate on a production frame, compares, publishes the comparison. */
    void frame(ConsumerRecord<String, byte[]> r) {
        FrameMeta f = WireHeaders.readFrame(r.headers());
        FrameKey key = new FrameKey(r.key(), f.session(), f.sequence());
        ProductionMask prod = masks.get(key);
        CandidateMask cand = runCandidate(r, f, key);
        Optional<ModelDescription> prodModel = productionModel(prod);
        String productionStatus =
                prod == null ? "missing" : prod.meta().status().wireName();
        if (prod != null && prodModel.isEmpty() && prod.meta().status() == MaskStatus.OK) {
            productionStatus = "failed";
            LOG.warn(
                    "Production model {} has no description on {}",
                    prod.meta().modelId(),
                    s.production().models());
        }
        ObjectNode entry = entry(key, f, prod, productionStatus, cand);
        if (overall == null) {
            overall = new ShadowTally(mapping(prodModel.orElseGet(this::anyProductionModel)));
        }
        ShadowTally cam = byCamera.computeIfAbsent(
                key.camera(), k -> new ShadowTally(mapping(prodModel.orElseGet(this::anyProductionModel))));
        boolean comparable = "ok".equals(productionStatus) && cand.mask() != null && prodModel.isPresent();
        entry.put("compared", comparable);
        if (comparable) {
            compare(r, key, f, prod, prodModel.get(), cand, List.of(cam, overall), entry);
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

    /** The candidate's mask of the frame, published under the shadow prefix; no mask when it failed. */
    private CandidateMask runCandidate(ConsumerRecord<String, byte[]> r, FrameMeta f, FrameKey key) {
        try {
            RgbImage image = FrameDecoder.decode(r.value(), f.width(), f.height());
            long t0 = System.nanoTime();
            LabelMap mask = WireHeaders.readScale(r.headers())
                    .map(sc -> predictor.segment(List.of(image), sc).get(0))
                    .orElseGet(() -> predictor.segment(image));
            double ms = (System.nanoTime() - t0) / 1e6;
            publishCandidateMask(r, f, mask, ms);
            return new CandidateMask(mask, ms);
        } catch (RuntimeException e) {
            LOG.warn("Camera {} frame {}: the candidate failed: {}", key.camera(), key.sequence(), e.getMessage());
            return new CandidateMask(null, Double.NaN);
        }
    }

    /** The description of the model that made production's mask; read again in a live run when not known yet. */
    private Optional<ModelDescription> productionModel(ProductionMask prod) {
        if (prod == null) {
            return Optional.empty();
        }
        if (!replay
                && !productionModels.containsKey(prod.meta().modelId())
                && System.nanoTime() - modelsReadNanos > MODELS_REREAD_NANOS) {
            modelsReadNanos = System.nanoTime();
            productionModels.putAll(readModels.get());
        }
        return Optional.ofNullable(productionModels.get(prod.meta().modelId()));
    }

    /** The comparison record of the frame, before the comparison itself. */
    private ObjectNode entry(
            FrameKey key, FrameMeta f, ProductionMask prod, String productionStatus, CandidateMask cand) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("camera", key.camera());
        entry.put("session", key.session().toString());
        entry.put("sequence", key.sequence());
        entry.put("captureUs", f.captureMicros());
        ObjectNode p = entry.putObject("production");
        p.put("model", prod == null ? "" : prod.meta().modelId());
        p.put("status", productionStatus);
        ShadowTally.number(p, "inferenceMs", prod == null ? Double.NaN : prod.inferenceMs());
        ObjectNode c = entry.putObject("candidate");
        c.put("model", candidate.id());
        c.put("status", cand.status());
        ShadowTally.number(c, "inferenceMs", cand.ms());
        return entry;
    }

    /** Compares the two masks of a frame: into the tallies, the comparison record and the frames shown. */
    private void compare(
            ConsumerRecord<String, byte[]> r,
            FrameKey key,
            FrameMeta f,
            ProductionMask prod,
            ModelDescription prodModel,
            CandidateMask cand,
            List<ShadowTally> tallies,
            ObjectNode entry) {
        productionModel = prodModel.model();
        LabelMap productionMask = MaskCodec.decode(prod.png(), f.width(), f.height());
        ClassMapping m = mapping(prodModel);
        FrameComparison fc = FrameComparison.of(
                productionMask,
                cand.mask(),
                m,
                s.corridor(),
                prodModel.groups(),
                candidate.description().groups());
        for (ShadowTally t : tallies) {
            t.add(fc);
            t.timed(prod.inferenceMs(), cand.ms());
        }
        ShadowTally.number(entry, "agreement", fc.agreement());
        ShadowTally.number(entry, "comparedPixels", fc.compared() / (double) fc.pixels());
        ObjectNode classes = entry.putObject("classes");
        for (String name : m.comparedClasses()) {
            int k = prodModel.taxonomy().byName(name).orElseThrow().id();
            ObjectNode o = classes.putObject(name);
            ShadowTally.number(
                    o, "iou", fc.union()[k] == 0 ? Double.NaN : fc.intersection()[k] / (double) fc.union()[k]);
            ShadowTally.number(o, "production", fc.production()[k] / (double) fc.pixels());
            ShadowTally.number(o, "candidate", fc.candidate()[k] / (double) fc.pixels());
        }
        ObjectNode driving = entry.putObject("driving");
        ObjectNode drivable = driving.putObject("drivable");
        ShadowTally.number(drivable, "production", fc.productionDriving().drivable());
        ShadowTally.number(drivable, "candidate", fc.candidateDriving().drivable());
        fc.productionDriving().obstacles().forEach((g, o) -> {
            ObjectNode n = driving.putObject(g);
            ShadowTally.number(n, "production", o.nearestRow().orElse(Double.NaN));
            ShadowTally.number(
                    n,
                    "candidate",
                    fc.candidateDriving().obstacles().get(g).nearestRow().orElse(Double.NaN));
        });
        worst.offer(
                fc.agreement(),
                new ShadowReport.Shown(
                        key.camera(),
                        key.sequence(),
                        fc.agreement(),
                        r.value(),
                        productionMask,
                        prodModel.taxonomy(),
                        cand.mask(),
                        candidate.taxonomy()));
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
        byCamera.clear();
        overall = null;
    }

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
                s.out().resolve("shadow-summary.json"), JSON.valueToTree(last).toPrettyString());
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
            WireHeaders.writeModelDescription(d.headers(), candidate.description());
            producer.send(d);
        }
        ProducerRecord<String, byte[]> out =
                new ProducerRecord<>(shadow.masks(), frame.partition(), frame.key(), MaskCodec.encode(mask));
        WireHeaders.writeMask(
                out.headers(),
                frame.key(),
                new MaskMeta(
                        f,
                        candidate.id(),
                        Math.round(ms * 1000),
                        MaskStatus.OK,
                        ModelDescriptionJson.digest(candidate.description())));
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
        progress.println("segstream shadow: " + overall.compared() + " of " + overall.frames() + " frames compared; "
                + "comparisons on " + comparisons + ", candidate masks on " + shadow.masks() + ", report "
                + s.out().resolve("shadow-report.html"));
    }
}
