package io.segstream.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segstream.media.H264Mp4Writer;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskStatus;
import io.segstream.sink.overlay.OverlayRenderer;
import io.segstream.sink.stats.ClassFractions;
import io.segstream.sink.view.LiveBoard;
import io.segstream.sink.view.LiveView;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What the live view costs the sink: the sink's overlay work per frame (as {@code bench/run sink}:
 * decode, blend, annotate, H.264 into fragmented MP4) on the clip's 720p frames as fast as it goes,
 * handing each frame to the view's board, with no view, with a view and no viewer, and with three
 * viewers asking for frames as the camera page does. The anchor is the run without a view, beside
 * it; the ratio of three viewers to it is the claim (target ≥ 0.9). Also reports bytes/s and
 * frames/s per viewer.
 */
record ViewBenchmark(Path work, Path assets, int repeats) {

    private static final int VIEWERS = 3;

    void run() throws Exception {
        int width = 1280;
        int height = 720;
        System.out.printf(
                Locale.ROOT,
                "view benchmark: %d cores, Java %s, %d frames at %dx%d, view at most %.0f frames/s "
                        + "per camera, median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Inputs.FRAMES,
                width,
                height,
                LiveView.DEFAULT_MAX_FPS,
                repeats);
        SinkBenchmark sink = new SinkBenchmark(work, assets, repeats);
        Path frames = sink.jpegFrames(Inputs.prepare(work, assets, width, height), height);
        List<byte[]> jpegs = new ArrayList<>();
        try (Stream<Path> s = Files.list(frames)) {
            for (Path f : s.sorted().toList()) {
                jpegs.add(Files.readAllBytes(f));
            }
        }
        byte[] mask = MaskCodec.encode(SinkBenchmark.drivingMask(width, height));
        double none = Inputs.medianFps(repeats, Inputs.FRAMES, () -> sinkNanos(jpegs, mask, width, height, -1, null));
        double idle = Inputs.medianFps(repeats, Inputs.FRAMES, () -> sinkNanos(jpegs, mask, width, height, 0, null));
        Seen seen = new Seen();
        double watched =
                Inputs.medianFps(repeats, Inputs.FRAMES, () -> sinkNanos(jpegs, mask, width, height, VIEWERS, seen));
        // a view that renders at up to LiveView.DEFAULT_MAX_FPS shows each viewer far more than one frame a second
        if (seen.frames.get() / seen.seconds() < 1) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "the viewers were shown %.1f frames a second: the view is not showing the camera, no figure is"
                            + " reported",
                    seen.frames.get() / seen.seconds()));
        }
        System.out.printf(
                Locale.ROOT,
                "720p  no view %6.1f fps   view, no viewer %6.1f fps (ratio %.2f)   %d viewers %6.1f fps "
                        + "(ratio %.2f, target >= 0.9)%n",
                none,
                idle,
                idle / none,
                VIEWERS,
                watched,
                watched / none);
        System.out.printf(
                Locale.ROOT,
                "per viewer: %.1f frames/s, %.0f KB/s (%.0f KB a frame)%n",
                seen.frames.get() / seen.seconds(),
                seen.bytes.get() / 1024.0 / seen.seconds(),
                seen.bytes.get() / 1024.0 / Math.max(1, seen.frames.get()));
    }

    /** What the viewers got, summed over viewers and runs. */
    private static final class Seen {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong viewerNanos = new AtomicLong();

        double seconds() {
            return viewerNanos.get() / 1e9;
        }
    }

    /** @param viewers -1: no view at all; 0: a view nobody watches */
    private long sinkNanos(List<byte[]> jpegs, byte[] maskPng, int width, int height, int viewers, Seen seen)
            throws Exception {
        Path out = work.resolve("view-" + height + "p.mp4");
        LiveBoard board = viewers >= 0 ? new LiveBoard() : null;
        LiveView view = viewers >= 0
                ? new LiveView(
                        new InetSocketAddress("127.0.0.1", 0),
                        null,
                        0,
                        board,
                        new SimpleMeterRegistry(),
                        0.5,
                        LiveView.DEFAULT_MAX_FPS)
                : null;
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        UUID session = UUID.randomUUID();
        try (OverlayRenderer renderer = new OverlayRenderer(0.5)) {
            FrameMeta first = meta(session, 0, width, height, jpegs.size());
            LabelMap mask0 = MaskCodec.decode(maskPng);
            if (board != null) { // the camera exists before the viewers come, as on a page opened on a running camera
                board.frame(
                        "bench",
                        stats(first, ClassFractions.of(mask0, Cityscapes.TAXONOMY)),
                        jpegs.get(0),
                        mask0,
                        Cityscapes.TAXONOMY,
                        true);
            }
            for (int v = 0; v < Math.max(0, viewers); v++) {
                Thread t = new Thread(() -> watch(view.url(), running, seen), "viewer-" + v);
                t.start();
                threads.add(t);
            }
            long t0 = System.nanoTime();
            try (H264Mp4Writer writer = new H264Mp4Writer(out, width, height, 25, H264Mp4Writer.PRESET)) {
                for (int i = 0; i < jpegs.size(); i++) {
                    FrameMeta meta = meta(session, i, width, height, jpegs.size());
                    LabelMap mask = MaskCodec.decode(maskPng);
                    Map<String, Double> fractions = ClassFractions.of(mask, Cityscapes.TAXONOMY);
                    if (board != null) {
                        board.frame("bench", stats(meta, fractions), jpegs.get(i), mask, Cityscapes.TAXONOMY, true);
                    }
                    writer.write(renderer.render(
                            jpegs.get(i), "bench", meta, MaskStatus.OK, mask, fractions, 25.0, Cityscapes.TAXONOMY));
                }
            }
            long took = System.nanoTime() - t0;
            Inputs.requireFrames(out, jpegs.size(), "the sink's overlay writer");
            return took;
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            if (view != null) {
                view.close();
            }
        }
    }

    /** One viewer: asks for the frame after the one it has, as the camera page does. */
    private static void watch(String base, AtomicBoolean running, Seen seen) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long after = -1;
        long t0 = System.nanoTime();
        while (running.get()) {
            try {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/frame?camera=bench&after=" + after))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                Optional<String> version = r.headers().firstValue("X-Segstream-Version");
                if (version.isPresent()) {
                    after = Long.parseLong(version.get());
                }
                if (r.statusCode() == 200 && seen != null) {
                    seen.frames.incrementAndGet();
                    seen.bytes.addAndGet(r.body().length);
                }
            } catch (Exception e) {
                break;
            }
        }
        if (seen != null) {
            seen.viewerNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private static FrameMeta meta(UUID session, long i, int width, int height, int frames) {
        return new FrameMeta(
                session,
                i,
                i * 40_000L,
                System.currentTimeMillis() * 1000,
                width,
                height,
                ImageEncoding.JPEG,
                frames,
                25,
                true);
    }

    private static FrameStats stats(FrameMeta meta, Map<String, Double> fractions) {
        return new FrameStats(
                "bench",
                meta,
                "bench",
                MaskStatus.OK,
                fractions,
                Optional.empty(),
                new FrameStats.Latencies(0, 0, 0, 0));
    }
}
