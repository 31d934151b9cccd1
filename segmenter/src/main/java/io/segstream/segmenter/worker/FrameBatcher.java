package io.segstream.segmenter.worker;

import io.segstream.protocol.CameraId;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskSerde;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Scale;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.ModelFailedException;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Answers a round's records, in their order, with mask records: frames of one picture size are run
 * through the model together, up to the batch size, whichever cameras they come from, live frames
 * first (see {@link Turns}). A live frame superseded by a newer one of its camera, or older than the
 * maximum age when its turn comes, gets a skipped-stale mask without being decoded or inferred;
 * bytes that do not decode get a failed mask; an end-of-stream record is forwarded after the masks
 * of the records before it.
 */
final class FrameBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FrameBatcher.class);
    private static final byte[] EMPTY = new byte[0];

    private final SegmentationModel model;
    /** The digest of the description published for the model, on every mask (ss.model-digest). */
    private final String modelDigest;

    private final SegmentationModel.Predictor predictor;
    private final String masksTopic;
    private final int batchSize;
    private final SegmenterMetrics metrics;
    private final Serializer<LabelMap> masks = new MaskSerde().serializer();
    private final FailureLog failures;
    private final SegmenterConfig config;
    private final Turns turns;
    /** Frames the model ran in the last {@link #answer}. */
    private int framesRun;
    /** Whether the model has segmented a frame yet: a failure it explains before that stops the segmenter. */
    private boolean segmentedOne;

    FrameBatcher(
            SegmentationModel model,
            SegmentationModel.Predictor predictor,
            SegmenterConfig config,
            SegmenterMetrics metrics,
            FailureLog failures,
            Turns turns) {
        this.turns = turns;
        this.failures = failures;
        this.config = config;
        this.model = model;
        this.modelDigest = ModelDescriptionJson.digest(model.description());
        this.predictor = predictor;
        this.masksTopic = config.topics().masks();
        this.batchSize = Math.min(config.batchSize(), model.maxBatch());
        this.metrics = metrics;
    }

    /** A decoded frame waiting for its batch; {@code slot} is its place in the answers. */
    private record Waiting(
            int slot, ConsumerRecord<String, byte[]> record, FrameMeta meta, RgbImage image, Optional<Scale> scale) {}

    /**
     * The answer to each record of the round, in the records' order; a record not in the wire
     * format has none.
     */
    List<ProducerRecord<String, byte[]>> answer(Round round) {
        List<ConsumerRecord<String, byte[]>> records = round.now();
        framesRun = 0;
        List<ProducerRecord<String, byte[]>> answers = new ArrayList<>(Collections.nCopies(records.size(), null));
        List<Waiting> batch = new ArrayList<>(batchSize);
        for (int i : round.order()) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            if (!CameraId.valid(r.key())) {
                failures.failed(
                        "records whose key is not a camera id (" + CameraId.RULE + "), dropped without a mask",
                        CameraId.quote(r.key()) + " at " + r.topic() + "-" + r.partition() + "@" + r.offset(),
                        1,
                        null);
                continue;
            }
            if (!config.segments(r.key())) {
                continue; // another group's camera: its segmenters answer it
            }
            MDC.put("camera", r.key());
            try {
                if (WireHeaders.isEndOfStream(r.headers())) {
                    run(batch, answers);
                    LOG.info(
                            "End of stream {} forwarded after its last mask", WireHeaders.readEndOfStream(r.headers()));
                    answers.set(i, new ProducerRecord<>(masksTopic, r.partition(), r.key(), EMPTY, r.headers()));
                    continue;
                }
                Waiting w = prepare(i, r, round, answers);
                if (w == null) {
                    continue;
                }
                if (!batch.isEmpty()
                        && (batch.size() == batchSize
                                || !sameSize(batch.get(0).image(), w.image())
                                || !batch.get(0).scale().equals(w.scale()))) {
                    run(batch, answers);
                }
                batch.add(w);
            } catch (MalformedRecordException e) {
                failures.failed(
                        "records not in the wire format, dropped without a mask",
                        "camera " + CameraId.quote(r.key()) + " at " + r.topic() + "-" + r.partition() + "@"
                                + r.offset() + ": " + e.getMessage(),
                        1,
                        null);
            } finally {
                MDC.remove("camera");
            }
        }
        run(batch, answers);
        return answers.stream().filter(Objects::nonNull).toList();
    }

    /**
     * A frame ready for the model: decoded, with its scale; null when it was answered without the
     * model (skipped as stale, or failed: a bad scale header, bytes that do not decode).
     */
    private Waiting prepare(
            int i, ConsumerRecord<String, byte[]> r, Round round, List<ProducerRecord<String, byte[]>> answers) {
        FrameMeta meta = WireHeaders.readFrame(r.headers());
        metrics.frameIn();
        if (round.superseded().contains(r) || turns.tooOld(meta)) {
            answers.set(i, mask(r, meta, MaskStatus.SKIPPED_STALE, EMPTY, 0));
            return null;
        }
        Optional<Scale> scale;
        try {
            scale = WireHeaders.readScale(r.headers());
        } catch (MalformedRecordException e) {
            failures.failed(
                    "frames with a bad " + WireHeaders.SCALE + " header",
                    "camera " + r.key() + " frame " + meta.sequence() + ": " + e.getMessage(),
                    1,
                    null);
            answers.set(i, mask(r, meta, MaskStatus.FAILED, EMPTY, 0));
            return null;
        }
        long t0 = System.nanoTime();
        RgbImage image;
        try {
            image = FrameDecoder.decode(r.value(), meta.width(), meta.height());
        } catch (IllegalArgumentException e) {
            failures.failed(
                    "frame bytes that do not decode",
                    "camera " + r.key() + " frame " + meta.sequence() + ": " + e.getMessage(),
                    1,
                    e);
            answers.set(i, mask(r, meta, MaskStatus.FAILED, EMPTY, 0));
            return null;
        }
        metrics.preprocess(Duration.ofNanos(System.nanoTime() - t0));
        return new Waiting(i, r, meta, image, scale);
    }

    /** Frames the model ran for the last round's answers. */
    int framesRun() {
        return framesRun;
    }

    private static boolean sameSize(RgbImage a, RgbImage b) {
        return a.width() == b.width() && a.height() == b.height();
    }

    /** Runs the waiting frames through the model (those grown too old meanwhile are skipped) and empties the batch. */
    private void run(List<Waiting> batch, List<ProducerRecord<String, byte[]>> answers) {
        List<Waiting> due = new ArrayList<>(batch.size());
        for (Waiting w : batch) {
            if (turns.tooOld(w.meta())) {
                answers.set(w.slot(), mask(w.record(), w.meta(), MaskStatus.SKIPPED_STALE, EMPTY, 0));
            } else {
                due.add(w);
            }
        }
        batch.clear();
        if (due.isEmpty()) {
            return;
        }
        framesRun += due.size();
        long t0 = System.nanoTime();
        List<LabelMap> labels;
        try {
            List<RgbImage> images = due.stream().map(Waiting::image).toList();
            Optional<Scale> scale = due.get(0).scale();
            labels = scale.isPresent() ? predictor.segment(images, scale.get()) : predictor.segment(images);
        } catch (ModelFailedException e) {
            if (!segmentedOne && !e.fix().isEmpty()) {
                throw new ModelStartException(e);
            }
            failures.failed(e.cause() + (e.fix().isEmpty() ? "" : "; " + e.fix()), due.size(), e);
            due.forEach(w -> answers.set(w.slot(), mask(w.record(), w.meta(), MaskStatus.FAILED, EMPTY, 0)));
            return;
        } catch (RuntimeException e) {
            failures.failed("model " + model.id() + " failed: " + e.getMessage(), due.size(), e);
            due.forEach(w -> answers.set(w.slot(), mask(w.record(), w.meta(), MaskStatus.FAILED, EMPTY, 0)));
            return;
        }
        segmentedOne = true;
        long took = System.nanoTime() - t0;
        metrics.batch(due.size(), Duration.ofNanos(took));
        for (int k = 0; k < due.size(); k++) {
            Waiting w = due.get(k);
            long p0 = System.nanoTime();
            byte[] png = masks.serialize(masksTopic, labels.get(k));
            metrics.postprocess(Duration.ofNanos(System.nanoTime() - p0));
            ProducerRecord<String, byte[]> answer = mask(w.record(), w.meta(), MaskStatus.OK, png, took / 1000);
            if (w.meta().live()) {
                turns.served(w.record().key());
            }
            WireHeaders.writeBatchSize(answer.headers(), due.size());
            answers.set(w.slot(), answer);
        }
    }

    private ProducerRecord<String, byte[]> mask(
            ConsumerRecord<String, byte[]> frame, FrameMeta meta, MaskStatus status, byte[] png, long inferenceMicros) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(masksTopic, frame.partition(), frame.key(), png);
        WireHeaders.writeMask(
                out.headers(), frame.key(), new MaskMeta(meta, model.id(), inferenceMicros, status, modelDigest));
        return out;
    }
}
