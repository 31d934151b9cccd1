package io.segstream.sink.topology;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.StatsJson;
import io.segstream.protocol.Taxonomy;
import io.segstream.protocol.WireHeaders;
import io.segstream.sink.output.Recordings;
import io.segstream.sink.overlay.OverlayComposer;
import io.segstream.sink.stats.ClassFractions;
import io.segstream.sink.stats.EgoCorridor;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns each joined frame into its statistics record (forwarded to frame-stats) and, when an
 * output directory is configured, its overlay frame and stats line; finishes the files and
 * forwards an end-of-stream statistics record when a session ends.
 */
final class OutputProcessor implements Processor<String, SinkEvent, String, String> {

    private final Taxonomy taxonomy;
    private final EgoCorridor corridor;
    private final OverlayComposer composer;
    private final Optional<Recordings> recordings;
    private ProcessorContext<String, String> context;

    OutputProcessor(Taxonomy taxonomy, double overlayAlpha, EgoCorridor corridor, Optional<Recordings> recordings) {
        this.taxonomy = taxonomy;
        this.corridor = corridor;
        this.composer = new OverlayComposer(taxonomy, overlayAlpha);
        this.recordings = recordings;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, SinkEvent> record) {
        if (record.value() instanceof SinkEvent.Joined j) {
            joined(j);
        } else if (record.value() instanceof SinkEvent.Ended e) {
            ended(e);
        }
    }

    private void ended(SinkEvent.Ended e) {
        recordings.ifPresent(r -> r.finish(e.camera(), e.endOfStream().session()));
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeEndOfStream(headers, e.endOfStream());
        context.forward(new Record<>(e.camera(), StatsJson.endOfStream(e.camera(), e.endOfStream()),
                context.currentSystemTimeMs(), headers));
    }

    private void joined(SinkEvent.Joined j) {
        FrameMeta frame = j.frame();
        LabelMap mask = j.mask().status() == MaskStatus.OK ? MaskCodec.decode(j.maskPng()) : null;
        Map<String, Double> fractions = mask == null ? Map.of() : ClassFractions.of(mask, taxonomy);
        long now = context.currentSystemTimeMs();
        double captureMs = frame.captureMicros() / 1000.0;
        FrameStats stats = new FrameStats(j.camera(), frame, j.mask().modelId(), j.mask().status(), fractions,
                Optional.ofNullable(mask).map(corridor::measure),
                new FrameStats.Latencies(j.frameTimestamp() - captureMs, j.maskTimestamp() - j.frameTimestamp(),
                        j.mask().inferenceMicros() / 1000.0, now - captureMs));
        String json = StatsJson.frame(stats);
        recordings.ifPresent(r -> r.append(j.camera(), frame.session(), overlay(j.picture(), mask), frame.frameRate(), json));
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, j.mask());
        context.forward(new Record<>(j.camera(), json, now, headers));
    }

    private BufferedImage overlay(byte[] picture, LabelMap mask) {
        BufferedImage img = bgr(picture);
        if (mask != null) {
            composer.blend(img, mask);
        }
        return img;
    }

    private static BufferedImage bgr(byte[] picture) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(picture));
        } catch (IOException e) {
            throw new UncheckedIOException("frame picture does not decode: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("frame picture is neither JPEG nor PNG");
        }
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return img;
        }
        BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return bgr;
    }

    @Override
    public void close() {
        recordings.ifPresent(Recordings::close);
    }
}
