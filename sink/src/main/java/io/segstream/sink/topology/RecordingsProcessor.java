package io.segstream.sink.topology;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Taxonomy;
import io.segstream.sink.output.Recordings;
import io.segstream.sink.overlay.OverlayRenderer;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each frame's annotated overlay and stats line into its camera's files, and finishes them
 * when the session ends (before the end-of-stream record goes out: this processor comes first).
 * Its {@link CommitBarrier} makes the stream thread's producer wait for the writes before every commit.
 */
final class RecordingsProcessor implements Processor<String, StatsEvent, Void, Void> {

    private final IntFunction<Recordings> recordingsOfPartition;
    private Recordings recordings;
    private final OverlayRenderer renderer;
    private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();
    /** Each live camera's last overlay, shown again for the frames skipped as stale. */
    private final Map<String, BufferedImage> lastLive = new HashMap<>();
    /** Each camera's model classes, for the colours of its report. */
    private final Map<String, Taxonomy> taxonomies = new HashMap<>();

    /** Sessions whose files could not be written, given up until they end. */
    private final Set<UUID> failed = new HashSet<>();

    private static final int MAX_FAILED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(RecordingsProcessor.class);

    private final CommitBarrier barrier;
    private final Runnable awaitWritten = () -> recordings.awaitWritten();
    private ProcessorContext<Void, Void> context;

    /** @param recordingsOfPartition the task's recordings, given its partition (where a repair reads the topics) */
    RecordingsProcessor(IntFunction<Recordings> recordingsOfPartition, double overlayAlpha, CommitBarrier barrier) {
        this.recordingsOfPartition = recordingsOfPartition;
        this.barrier = barrier;
        this.renderer = new OverlayRenderer(overlayAlpha);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.recordings = recordingsOfPartition.apply(context.taskId().partition());
        barrier.add(awaitWritten);
        // a live camera that went silent: close its file so that it plays (its sessions may go on later)
        context.schedule(
                Duration.ofSeconds(5),
                PunctuationType.WALL_CLOCK_TIME,
                t -> recordings.closeIdle(Recordings.LIVE_IDLE));
    }

    @Override
    public void process(Record<String, StatsEvent> record) {
        if (record.value() instanceof StatsEvent.FrameDone f) {
            double rate = rate(f.camera(), context.currentSystemTimeMs());
            if (f.taxonomy() != null) {
                taxonomies.put(f.camera(), f.taxonomy());
            }
            UUID session = f.stats().frame().session();
            if (f.pictureFits() && !failed.contains(session)) {
                write(
                        f.camera(),
                        session,
                        () -> recordings.append(f.camera(), f.stats().frame(), overlay(f, rate), f.json()));
            }
        } else if (record.value() instanceof StatsEvent.SessionDone d) {
            UUID session = d.endOfStream().session();
            if (!failed.remove(session)) {
                write(
                        d.camera(),
                        session,
                        () -> recordings.finish(
                                d.camera(), session, d.json(), Optional.ofNullable(taxonomies.get(d.camera()))));
            }
            taxonomies.remove(d.camera());
            recent.remove(d.camera());
            lastLive.remove(d.camera());
        }
    }

    /**
     * Writes to one camera's files: when they cannot be written (its directory blocked, not
     * writable), one line says so and the session's files are given up, while its statistics and
     * every other camera go on. (A full disk surfaces where the writes are awaited, before a commit.)
     */
    private void write(String camera, UUID session, Runnable writing) {
        try {
            writing.run();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            if (failed.size() < MAX_FAILED) {
                failed.add(session);
            }
            LOG.error(
                    "Camera {} session {}: its overlay files cannot be written, and are given up for the session "
                            + "(its statistics still go to frame-stats): {}",
                    camera,
                    session,
                    e.getMessage());
        }
    }

    /**
     * The frame's overlay. A live frame the segmenter skipped as stale shows the camera's last
     * overlay again, without decoding or drawing anything: when live cameras bring more than the
     * machine can do, the sink then spends its time on the frames that were segmented (the video
     * holds the last segmented picture meanwhile; its statistics line says {@code skipped-stale}).
     */
    private BufferedImage overlay(StatsEvent.FrameDone f, double rate) {
        FrameMeta frame = f.stats().frame();
        if (frame.live() && f.stats().status() == MaskStatus.SKIPPED_STALE) {
            BufferedImage last = lastLive.get(f.camera());
            if (last != null && last.getWidth() == frame.width() && last.getHeight() == frame.height()) {
                return last;
            }
        }
        BufferedImage img = renderer.render(
                f.picture(),
                f.camera(),
                frame,
                f.stats().status(),
                f.labels(),
                f.stats().classFractions(),
                rate,
                f.taxonomy());
        if (frame.live()) {
            lastLive.put(f.camera(), img);
        }
        return img;
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

    @Override
    public void close() {
        barrier.remove(awaitWritten);
        if (recordings != null) {
            recordings.close();
        }
        renderer.close();
    }
}
