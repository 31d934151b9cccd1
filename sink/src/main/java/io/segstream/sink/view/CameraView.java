package io.segstream.sink.view;

import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Taxonomy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the live view knows of one camera: its latest frame (the picture and mask as the sink had
 * them, rendered only when a viewer asks), its counters in the current session, and the last
 * {@value #POINTS} frames' figures for the charts. The sink's thread only stores references and
 * counts here; it never waits for a viewer.
 */
public final class CameraView {

    /** Frames whose figures are kept for the charts. */
    public static final int POINTS = 600;

    /** A frame as the sink handed it on; {@code version} grows by one with every frame of the camera. */
    record Frame(
            long version,
            FrameStats stats,
            byte[] picture,
            LabelMap labels,
            Taxonomy taxonomy,
            boolean pictureFits,
            double rate) {}

    /** One frame's figures for the charts. */
    record Point(
            long version,
            long sequence,
            long captureMs,
            MaskStatus status,
            double endToEndMs,
            Map<String, Double> fractions,
            double drivable,
            Map<String, Double> nearest) {}

    /** The counters of the camera's current session. */
    record State(
            String camera,
            UUID session,
            boolean live,
            boolean ended,
            long frames,
            long lengthHint,
            Map<MaskStatus, Long> statuses,
            double rate,
            long lastFrameMs,
            long version,
            String model,
            Taxonomy taxonomy) {}

    private final String camera;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private final ArrayDeque<Long> recent = new ArrayDeque<>();
    private final Map<MaskStatus, Long> statuses = new EnumMap<>(MaskStatus.class);
    private Frame latest;
    private UUID session;
    private boolean live;
    private boolean ended;
    private long frames;
    private long lengthHint = -1;
    private long lastFrameMs;
    private long version;

    CameraView(String camera) {
        this.camera = camera;
    }

    /** The sink handed a frame on at {@code nowMs}. */
    synchronized void frame(
            FrameStats stats, byte[] picture, LabelMap labels, Taxonomy taxonomy, boolean pictureFits, long nowMs) {
        if (!stats.frame().session().equals(session)) {
            session = stats.frame().session();
            statuses.clear();
            frames = 0;
            ended = false;
        }
        live = stats.frame().live();
        lengthHint = stats.frame().lengthHint();
        frames++;
        statuses.merge(stats.status(), 1L, Long::sum);
        lastFrameMs = nowMs;
        version++;
        double rate = rate(nowMs);
        latest = new Frame(version, stats, picture, labels, taxonomy, pictureFits, rate);
        points.addLast(point(version, stats));
        while (points.size() > POINTS) {
            points.removeFirst();
        }
        notifyAll();
    }

    /** The camera's session {@code ended} went through the sink. */
    synchronized void ended(UUID ended) {
        if (ended.equals(session)) {
            this.ended = true;
            notifyAll();
        }
    }

    /** The counters now ({@code nowMs}: the rate falls to 0 when frames stop). */
    synchronized State state(long nowMs) {
        return new State(
                camera,
                session,
                live,
                ended,
                frames,
                lengthHint,
                new EnumMap<>(statuses),
                recentRate(nowMs),
                lastFrameMs,
                version,
                latest == null ? null : latest.stats().model(),
                latest == null ? null : latest.taxonomy());
    }

    /** The latest frame; null before the first. */
    synchronized Frame latest() {
        return latest;
    }

    synchronized long lastFrameMs() {
        return lastFrameMs;
    }

    /** The figures of the kept frames after {@code version}, oldest first. */
    synchronized List<Point> pointsAfter(long after) {
        List<Point> out = new ArrayList<>();
        for (Point p : points) {
            if (p.version() > after || after > version) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The latest frame once it is newer than {@code after}, waiting at most {@code timeoutMs} for one;
     * null when none came.
     */
    synchronized Frame awaitNewer(long after, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        // a client ahead of this view (it saw a camera view since replaced) gets the latest at once
        while (latest == null || (latest.version() <= after && after <= version)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        return latest;
    }

    private static Point point(long version, FrameStats s) {
        double drivable = Double.NaN;
        Map<String, Double> nearest = Map.of();
        if (s.driving().isPresent()) {
            DrivingFigures d = s.driving().get();
            drivable = d.drivable();
            Map<String, Double> rows = new LinkedHashMap<>();
            d.obstacles().forEach((group, o) -> o.nearestRow().ifPresent(r -> rows.put(group, r)));
            nearest = rows;
        }
        return new Point(
                version,
                s.frame().sequence(),
                s.frame().captureMicros() / 1000,
                s.status(),
                s.latencies().endToEndMs(),
                s.classFractions(),
                drivable,
                nearest);
    }

    /** Frames per second over the last second, NaN with fewer than two. */
    private double rate(long now) {
        recent.addLast(now);
        while (recent.size() > 1 && now - recent.peekFirst() > 1000) {
            recent.removeFirst();
        }
        return recentRate(now);
    }

    private double recentRate(long now) {
        if (recent.isEmpty() || now - recent.peekLast() > 2000) {
            return 0;
        }
        if (recent.size() < 2) {
            return Double.NaN;
        }
        return (recent.size() - 1) * 1000.0 / Math.max(1, recent.peekLast() - recent.peekFirst());
    }
}
