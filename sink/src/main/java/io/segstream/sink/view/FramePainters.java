package io.segstream.sink.view;

import io.micrometer.core.instrument.Counter;
import io.segstream.media.JpegEncoder;
import io.segstream.sink.overlay.OverlayRenderer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the live frames viewers ask for: each camera's frame rendered and encoded once whoever
 * asks, no more than one a render interval per camera, on a viewer's thread, by one of a few
 * painters (overlay, then JPEG).
 */
final class FramePainters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FramePainters.class);
    /** The live view's JPEG quality scale (2 best .. 31): its pictures are looked at, not kept. */
    static final int JPEG_QSCALE = 5;

    private final BlockingQueue<Painter> painters;
    private final Map<String, CameraImages> images = new HashMap<>();
    private final long renderIntervalNanos;
    private final Counter renders;

    /** What renders a frame: overlay, then JPEG; one thread at a time. */
    private record Painter(OverlayRenderer overlay, JpegEncoder jpeg) {
        void close() {
            overlay.close();
            jpeg.close();
        }
    }

    /** A frame as shown: its JPEG (null when its picture does not decode) and what the viewer is told of it. */
    record Rendered(CameraView.Frame frame, byte[] jpeg) {}

    /**
     * @param alpha   opacity of the class colours over the frame
     * @param threads painters, so frames render on at most this many threads at once
     */
    FramePainters(double alpha, int threads, long renderIntervalNanos, Counter renders) {
        this.renderIntervalNanos = renderIntervalNanos;
        this.renders = renders;
        this.painters = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            painters.add(new Painter(new OverlayRenderer(alpha), JpegEncoder.ofQscale(JPEG_QSCALE)));
        }
    }

    /** The newest frame of {@code view} at least as new as {@code f}, rendered (or the one rendered already). */
    Rendered newest(CameraView view, CameraView.Frame f) throws InterruptedException {
        return images(f.stats().camera()).newest(view, f);
    }

    private CameraImages images(String camera) {
        synchronized (images) {
            if (images.size() >= LiveBoard.MAX_CAMERAS && !images.containsKey(camera)) {
                images.clear();
            }
            return images.computeIfAbsent(camera, c -> new CameraImages());
        }
    }

    /**
     * A camera's frames as shown: each rendered and encoded once whoever asks, and no more than
     * one every {@link #renderIntervalNanos}; a viewer that asks sooner waits for the next slot and
     * gets the latest frame then.
     */
    private final class CameraImages {

        private final RenderPacer pacer = new RenderPacer(renderIntervalNanos, RenderPacer.SYSTEM);
        private Rendered last;

        synchronized Rendered newest(CameraView view, CameraView.Frame f) throws InterruptedException {
            if (last != null && last.frame().version() >= f.version()) {
                return last;
            }
            if (pacer.awaitSlot()) {
                f = view.latest();
            }
            last = new Rendered(f, f.pictureFits() ? render(f) : null);
            return last;
        }
    }

    /** The frame's overlay as JPEG; null when its picture does not decode. */
    private byte[] render(CameraView.Frame f) throws InterruptedException {
        Painter painter = painters.take();
        try {
            renders.increment();
            return painter.jpeg()
                    .encodeSubsampled(painter.overlay()
                            .render(
                                    f.picture(),
                                    f.stats().camera(),
                                    f.stats().frame(),
                                    f.stats().status(),
                                    f.labels(),
                                    f.stats().classFractions(),
                                    f.rate(),
                                    f.taxonomy()));
        } catch (RuntimeException e) {
            LOG.debug(
                    "Frame {} of {} did not render: {}",
                    f.stats().frame().sequence(),
                    f.stats().camera(),
                    e.toString());
            return null;
        } finally {
            painters.add(painter);
        }
    }

    @Override
    public void close() {
        Painter p;
        while ((p = painters.poll()) != null) {
            p.close();
        }
    }
}
