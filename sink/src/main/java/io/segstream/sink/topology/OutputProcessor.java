package io.segstream.sink.topology;

import io.segstream.protocol.AggregateStats;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.PictureSize;
import io.segstream.protocol.Size;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.StatsJson;
import io.segstream.protocol.Taxonomy;
import io.segstream.protocol.WireHeaders;
import io.segstream.sink.output.Recordings;
import io.segstream.sink.overlay.OverlayRenderer;
import io.segstream.sink.stats.ClassFractions;
import io.segstream.sink.stats.EgoCorridor;
import io.segstream.sink.stats.StatsAggregate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each joined frame into its statistics record (to frame-stats and, as {@link FrameStats},
 * to the windows) and, when an output directory is configured, its annotated overlay frame and
 * stats line. Keeps each session's running summary in a state store; when the session ends it
 * finishes the files, logs the summary and forwards the end-of-stream record carrying it.
 */
final class OutputProcessor implements Processor<String, SinkEvent, String, Object> {

    static final String SUMMARIES_STORE = "session-summaries";

    private static final Logger LOG = LoggerFactory.getLogger(OutputProcessor.class);

    /** Colours for a frame without a mask, whose model is unknown: none are drawn. */
    private static final Taxonomy NO_CLASSES = Taxonomy.neutral(1);

    private final EgoCorridor corridor;
    private final OverlayRenderer renderer;
    private final Optional<Recordings> recordings;
    private final String frameStatsNode;
    private final String windowsNode;
    private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> summaries;
    private DescribedModels models;
    /** The most model ids reported as undescribed (a producer may invent any number). */
    private static final int MAX_REPORTED = 100;
    /** Model ids whose masks came without a description, reported once each. */
    private final Set<String> undescribed = new HashSet<>();

    OutputProcessor(double overlayAlpha, EgoCorridor corridor, Optional<Recordings> recordings,
                    String frameStatsNode, String windowsNode) {
        this.corridor = corridor;
        this.renderer = new OverlayRenderer(overlayAlpha);
        this.recordings = recordings;
        this.frameStatsNode = frameStatsNode;
        this.windowsNode = windowsNode;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.summaries = context.getStateStore(SUMMARIES_STORE);
        this.models = new DescribedModels(context.getStateStore(DescribedModels.STORE));
        WritesBarrier barrier = context.getStateStore(WritesBarrier.NAME);
        recordings.ifPresent(r -> barrier.onFlush(r::awaitWritten));
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
            models.put(d.description());
            LOG.info("Model {} has {} classes: {}", d.description().model(), d.description().taxonomy().size(),
                    d.description().taxonomy().classes().stream().map(c -> c.name()).toList());
        }
    }

    /**
     * What a joined frame turned out to be: its mask's status as the sink accepts it (failed when
     * the picture does not match its headers, the model was never described, or the mask does not
     * decode at the frame's size), the model, the decoded mask.
     */
    private record Outcome(MaskMeta meta, Optional<ModelDescription> model, LabelMap mask, boolean pictureFits) {
    }

    private Outcome outcome(SinkEvent.Joined j) {
        FrameMeta frame = j.frame();
        MaskMeta meta = j.mask();
        Optional<Size> pictured = PictureSize.read(j.picture());
        boolean pictureFits = pictured.isPresent() && pictured.get().width() == frame.width()
                && pictured.get().height() == frame.height();
        if (!pictureFits) {
            LOG.error("Camera {} frame {}: the picture ({}) does not match its headers ({}x{}); the frame counts as failed "
                    + "and is left out of the video", j.camera(), frame.sequence(),
                    pictured.map(Size::toString).orElse("not a JPEG or PNG"), frame.width(), frame.height());
            return new Outcome(failed(meta), Optional.empty(), null, false);
        }
        if (meta.status() != MaskStatus.OK) {
            return new Outcome(meta, Optional.empty(), null, true);
        }
        Optional<ModelDescription> model = models.get(meta.modelId());
        if (model.isEmpty()) {
            if (undescribed.size() < MAX_REPORTED && undescribed.add(meta.modelId())) {
                LOG.error("Masks of model {} came without its description (a record with ss.type=model on the masks "
                        + "partition before them): their frames count as failed, since their classes are unknown",
                        meta.modelId());
            }
            return new Outcome(failed(meta), Optional.empty(), null, true);
        }
        try {
            return new Outcome(meta, model, MaskCodec.decode(j.maskPng(), frame.width(), frame.height()), true);
        } catch (MalformedRecordException e) {
            LOG.error("Camera {} frame {}: the mask is refused and the frame counts as failed: {}", j.camera(),
                    frame.sequence(), e.getMessage());
            return new Outcome(failed(meta), Optional.empty(), null, true);
        }
    }

    private static MaskMeta failed(MaskMeta m) {
        return new MaskMeta(m.frame(), m.modelId(), m.inferenceMicros(), MaskStatus.FAILED);
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
        FrameStats stats = new FrameStats(j.camera(), frame, maskMeta.modelId(), maskMeta.status(), fractions,
                mask == null ? Optional.empty() : Optional.of(corridor.measure(mask, model.get().groups())),
                new FrameStats.Latencies(j.frameTimestamp() - captureMs, j.maskTimestamp() - j.frameTimestamp(),
                        maskMeta.inferenceMicros() / 1000.0, now - captureMs));
        String json = StatsJson.frame(stats);
        update(j.camera(), frame.session(), a -> a.add(stats));
        double rate = rate(j.camera(), now);
        if (o.pictureFits()) {
            recordings.ifPresent(r -> r.append(j.camera(), frame,
                    renderer.render(j.picture(), j.camera(), frame, stats.status(), mask, fractions, rate, taxonomy), json));
        }
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, maskMeta);
        context.forward(new Record<String, Object>(j.camera(), json, now, headers), frameStatsNode);
        context.forward(new Record<String, Object>(j.camera(), stats, now), windowsNode);
    }

    private void ended(SinkEvent.Ended e) {
        UUID session = e.endOfStream().session();
        String key = summaryKey(e.camera(), session);
        byte[] stored = summaries.get(key);
        AggregateStats summary = (stored == null ? new StatsAggregate() : StatsAggregate.fromBytes(stored)).stats();
        String json = StatsJson.endOfStream(e.camera(), e.endOfStream(), summary);
        recordings.ifPresent(r -> r.finish(e.camera(), session, json));
        LOG.info("Camera {} session {} ended: {} frames ({} ok, {} skipped, {} failed, {} missing, {} lost), "
                        + "end-to-end latency p50 {} ms, p99 {} ms", e.camera(), session, summary.frames(), summary.ok(),
                summary.skipped(), summary.failed(), summary.missing(), summary.lost(),
                ms(summary.endToEndMs().p50()), ms(summary.endToEndMs().p99()));
        summaries.delete(key);
        recent.remove(e.camera());
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeEndOfStream(headers, e.endOfStream());
        long now = context.currentSystemTimeMs();
        context.forward(new Record<String, Object>(e.camera(), json, now, headers), frameStatsNode);
        context.forward(new Record<String, Object>(e.camera(), e, now), windowsNode);
    }

    private void update(String camera, UUID session, java.util.function.Consumer<StatsAggregate> change) {
        String key = summaryKey(camera, session);
        byte[] stored = summaries.get(key);
        StatsAggregate a = stored == null ? new StatsAggregate() : StatsAggregate.fromBytes(stored);
        change.accept(a);
        summaries.put(key, a.toBytes());
    }

    /** Frames per second through the sink for the camera over the last second. */
    private double rate(String camera, long now) {
        ArrayDeque<Long> times = recent.computeIfAbsent(camera, c -> new ArrayDeque<>());
        times.addLast(now);
        while (times.size() > 1 && now - times.peekFirst() > 1000) {
            times.removeFirst();
        }
        return times.size() < 2 ? Double.NaN : (times.size() - 1) * 1000.0 / Math.max(1, now - times.peekFirst());
    }

    private static String summaryKey(String camera, UUID session) {
        return camera + '/' + session;
    }

    private static String ms(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f", v) : "-";
    }

    @Override
    public void close() {
        recordings.ifPresent(Recordings::close);
        renderer.close();
    }
}
