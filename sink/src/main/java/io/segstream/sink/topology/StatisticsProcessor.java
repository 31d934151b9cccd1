package io.segstream.sink.topology;

import io.segstream.protocol.AggregateStats;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.PictureSize;
import io.segstream.protocol.Size;
import io.segstream.protocol.StatsJson;
import io.segstream.protocol.Taxonomy;
import io.segstream.sink.stats.CaptureTime;
import io.segstream.sink.stats.ClassFractions;
import io.segstream.sink.stats.EgoCorridor;
import io.segstream.sink.stats.StatsAggregate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each joined frame into its statistics, in the terms of the model that made its mask (the
 * descriptions that come in-band on masks), and hands them on as {@link StatsEvent}s to
 * frame-stats, the windows and the recordings. Keeps each session's running summary in a state
 * store; when the session ends it logs the summary and hands on the end-of-stream record carrying it.
 */
final class StatisticsProcessor implements Processor<String, SinkEvent, String, StatsEvent> {

    static final String SUMMARIES_STORE = "session-summaries";

    private static final Logger LOG = LoggerFactory.getLogger(StatisticsProcessor.class);

    /** Colours for a frame without a mask, whose model is unknown: none are drawn. */
    private static final Taxonomy NO_CLASSES = Taxonomy.neutral(1);

    private final EgoCorridor corridor;
    private ProcessorContext<String, StatsEvent> context;
    private KeyValueStore<String, StatsAggregate> summaries;
    private DescribedModels models;
    /** The most model ids reported as undescribed (a producer may invent any number). */
    private static final int MAX_REPORTED = 100;
    /** New and changed descriptions logged one by one before only every thousandth is. */
    private static final int MAX_DESCRIPTIONS_LOGGED = 20;

    private long descriptionsLogged;
    /** Model ids whose masks came without a description, reported once each. */
    private final Set<String> undescribed = new HashSet<>();

    StatisticsProcessor(EgoCorridor corridor) {
        this.corridor = corridor;
    }

    @Override
    public void init(ProcessorContext<String, StatsEvent> context) {
        this.context = context;
        this.summaries = context.getStateStore(SUMMARIES_STORE);
        this.models = new DescribedModels(context.getStateStore(DescribedModels.STORE));
    }

    @Override
    public void process(Record<String, SinkEvent> record) {
        if (record.value() instanceof SinkEvent.Joined j) {
            joined(j);
        } else if (record.value() instanceof SinkEvent.Lost l) {
            update(l.camera(), l.session(), a -> a.addLost(l.count()));
        } else if (record.value() instanceof SinkEvent.Ended e) {
            ended(e);
        } else if (record.value() instanceof SinkEvent.Described d) {
            described(d);
        }
    }

    /** Keeps a description; one short line for a new one or a changed one (rate-limited), none for a repeat. */
    private void described(SinkEvent.Described d) {
        ModelDescription m = d.description();
        DescribedModels.Kept kept = models.put(m);
        if (kept == DescribedModels.Kept.KNOWN) {
            return;
        }
        descriptionsLogged++;
        if (descriptionsLogged > MAX_DESCRIPTIONS_LOGGED && descriptionsLogged % 1000 != 0) {
            return;
        }
        String digest = ModelDescriptionJson.digest(m).substring(0, 12);
        if (kept == DescribedModels.Kept.NEW) {
            LOG.info(
                    "Model {} described on {}: {} classes, digest {} ({} descriptions kept)",
                    CameraId.quote(m.model()),
                    d.source(),
                    m.taxonomy().size(),
                    digest,
                    models.size());
        } else {
            LOG.warn(
                    "Model {} described again on {} with other content (digest {}, {} classes): kept beside the "
                            + "earlier one; each mask uses the description its ss.model-digest names",
                    CameraId.quote(m.model()),
                    d.source(),
                    digest,
                    m.taxonomy().size());
        }
    }

    /**
     * What a joined frame turned out to be: its mask's status as the sink accepts it (failed when
     * the picture does not match its headers, the model was never described, or the mask does not
     * decode at the frame's size), the model, the decoded mask.
     */
    private record Outcome(MaskMeta meta, Optional<ModelDescription> model, LabelMap mask, boolean pictureFits) {}

    private Outcome outcome(SinkEvent.Joined j) {
        FrameMeta frame = j.frame();
        MaskMeta meta = j.mask();
        Optional<Size> pictured = PictureSize.read(j.picture());
        boolean pictureFits = pictured.isPresent()
                && pictured.get().width() == frame.width()
                && pictured.get().height() == frame.height();
        if (!pictureFits) {
            LOG.error(
                    "Camera {} frame {}: the picture ({}) does not match its headers ({}x{}); the frame counts as failed "
                            + "and is left out of the video",
                    j.camera(),
                    frame.sequence(),
                    pictured.map(Size::toString).orElse("not a JPEG or PNG"),
                    frame.width(),
                    frame.height());
            return new Outcome(failed(meta), Optional.empty(), null, false);
        }
        if (meta.status() != MaskStatus.OK) {
            return new Outcome(meta, Optional.empty(), null, true);
        }
        Optional<ModelDescription> model = models.get(meta.modelId(), meta.modelDigest());
        if (model.isEmpty()) {
            if (undescribed.size() < MAX_REPORTED && undescribed.add(meta.modelId() + '/' + meta.modelDigest())) {
                LOG.error(
                        "Masks of model {} (digest {}) came without their description (a record with ss.type=model on "
                                + "the masks partition before them, whose digest the masks name): their frames count as "
                                + "failed, since their classes are unknown",
                        CameraId.quote(meta.modelId()),
                        meta.modelDigest().isEmpty()
                                ? "none, and the id has several descriptions or none"
                                : meta.modelDigest());
            }
            return new Outcome(failed(meta), Optional.empty(), null, true);
        }
        try {
            LabelMap mask = MaskCodec.decode(j.maskPng(), frame.width(), frame.height());
            int beyond = firstBeyond(mask, model.get().taxonomy().size());
            if (beyond >= 0) {
                LOG.error(
                        "Camera {} frame {}: the mask holds class id {}, beyond the {} classes of model {}; the frame "
                                + "counts as failed",
                        j.camera(),
                        frame.sequence(),
                        beyond,
                        model.get().taxonomy().size(),
                        CameraId.quote(meta.modelId()));
                return new Outcome(failed(meta), Optional.empty(), null, true);
            }
            return new Outcome(meta, model, mask, true);
        } catch (MalformedRecordException e) {
            LOG.error(
                    "Camera {} frame {}: the mask is refused and the frame counts as failed: {}",
                    j.camera(),
                    frame.sequence(),
                    e.getMessage());
            return new Outcome(failed(meta), Optional.empty(), null, true);
        }
    }

    /** The first class id in the mask that is not below {@code classes}, -1 when there is none. */
    private static int firstBeyond(LabelMap mask, int classes) {
        for (byte b : mask.labels()) {
            if ((b & 0xFF) >= classes) {
                return b & 0xFF;
            }
        }
        return -1;
    }

    private static MaskMeta failed(MaskMeta m) {
        return m.withStatus(MaskStatus.FAILED);
    }

    private void joined(SinkEvent.Joined j) {
        FrameMeta frame = j.frame();
        Outcome o = outcome(j);
        MaskMeta maskMeta = o.meta();
        Optional<ModelDescription> model = o.model();
        LabelMap mask = o.mask();
        Taxonomy taxonomy = model.map(ModelDescription::taxonomy).orElse(NO_CLASSES);
        Map<String, Double> fractions = mask == null ? Map.of() : ClassFractions.of(mask, taxonomy);
        long now = context.currentSystemTimeMs();
        double captureMs = frame.captureMicros() / 1000.0;
        FrameStats stats = new FrameStats(
                j.camera(),
                frame,
                maskMeta.modelId(),
                maskMeta.status(),
                fractions,
                mask == null
                        ? Optional.empty()
                        : Optional.of(corridor.measure(mask, model.get().groups())),
                new FrameStats.Latencies(
                        CaptureTime.latencyMs(captureMs, j.frameTimestamp()),
                        CaptureTime.latencyMs(j.frameTimestamp(), j.maskTimestamp()),
                        CaptureTime.latencyMs(0, maskMeta.inferenceMicros() / 1000.0),
                        CaptureTime.latencyMs(captureMs, now)));
        update(j.camera(), frame.session(), a -> a.add(stats));
        context.forward(new Record<>(
                j.camera(),
                new StatsEvent.FrameDone(
                        j.camera(),
                        stats,
                        StatsJson.frame(stats),
                        maskMeta,
                        j.picture(),
                        mask,
                        taxonomy,
                        o.pictureFits()),
                now));
    }

    private void ended(SinkEvent.Ended e) {
        UUID session = e.endOfStream().session();
        String key = summaryKey(e.camera(), session);
        StatsAggregate stored = summaries.get(key);
        AggregateStats summary = (stored == null ? new StatsAggregate() : stored).stats();
        String json = StatsJson.endOfStream(e.camera(), e.endOfStream(), summary);
        LOG.info(
                "Camera {} session {} ended: {} frames ({} ok, {} skipped, {} failed, {} missing, {} lost), "
                        + "end-to-end latency p50 {} ms, p99 {} ms",
                e.camera(),
                session,
                summary.frames(),
                summary.ok(),
                summary.skipped(),
                summary.failed(),
                summary.missing(),
                summary.lost(),
                ms(summary.endToEndMs().p50()),
                ms(summary.endToEndMs().p99()));
        summaries.delete(key);
        context.forward(new Record<>(
                e.camera(),
                new StatsEvent.SessionDone(e.camera(), e.endOfStream(), json),
                context.currentSystemTimeMs()));
    }

    private void update(String camera, UUID session, Consumer<StatsAggregate> change) {
        String key = summaryKey(camera, session);
        StatsAggregate a = summaries.get(key);
        if (a == null) {
            a = new StatsAggregate();
        }
        change.accept(a);
        summaries.put(key, a);
    }

    private static String summaryKey(String camera, UUID session) {
        return camera + '/' + session;
    }

    private static String ms(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f", v) : "-";
    }
}
