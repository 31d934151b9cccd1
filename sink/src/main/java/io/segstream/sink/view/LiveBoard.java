package io.segstream.sink.view;

import io.segstream.protocol.FrameStats;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The cameras this sink instance has handed frames on for, as the live view shows them. The sink's
 * threads write (a reference and a few counters per frame, never a wait); the view's threads read.
 * At most {@value #MAX_CAMERAS} cameras are kept: a producer may invent any number of camera ids, and
 * the one that sent nothing for the longest goes first.
 */
public final class LiveBoard {

    public static final int MAX_CAMERAS = 1024;

    private final Map<String, CameraView> cameras = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public LiveBoard() {
        this(System::currentTimeMillis);
    }

    LiveBoard(LongSupplier clock) {
        this.clock = clock;
    }

    /** The sink handed a frame on. */
    public void frame(
            String camera, FrameStats stats, byte[] picture, LabelMap labels, Taxonomy taxonomy, boolean pictureFits) {
        CameraView view = cameras.get(camera);
        if (view == null) {
            if (cameras.size() >= MAX_CAMERAS) {
                evictOldest();
            }
            view = cameras.computeIfAbsent(camera, CameraView::new);
        }
        view.frame(stats, picture, labels, taxonomy, pictureFits, clock.getAsLong());
    }

    /** A camera's session ended. */
    public void ended(String camera, UUID session) {
        CameraView view = cameras.get(camera);
        if (view != null) {
            view.ended(session);
        }
    }

    Optional<CameraView> camera(String camera) {
        return Optional.ofNullable(cameras.get(camera));
    }

    /** Every camera's counters, by camera id. */
    List<CameraView.State> states() {
        long now = clock.getAsLong();
        List<CameraView.State> out = new ArrayList<>();
        cameras.values().forEach(v -> out.add(v.state(now)));
        out.sort(Comparator.comparing(CameraView.State::camera));
        return out;
    }

    long now() {
        return clock.getAsLong();
    }

    private synchronized void evictOldest() {
        cameras.entrySet().stream()
                .min(Comparator.comparingLong(e -> e.getValue().lastFrameMs()))
                .ifPresent(e -> cameras.remove(e.getKey()));
    }
}
