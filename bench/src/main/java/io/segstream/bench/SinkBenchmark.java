package io.segstream.bench;

import io.segstream.media.H264Mp4Writer;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskStatus;
import io.segstream.sink.overlay.OverlayRenderer;
import io.segstream.sink.stats.ClassFractions;
import io.segstream.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Overlay frames per second at 720p and 1080p: for each frame, what the sink does for the video
 * (decode the JPEG frame and the PNG mask, class fractions, blend, status line and legend, H.264
 * encoding into fragmented MP4), beside the ffmpeg command line encoding the same JPEG frames with
 * the same codec, preset, tuning, CRF and MP4 fragmenting, as a ratio. Each figure is the median of
 * the repeats, after one warm-up run.
 */
record SinkBenchmark(Path work, Path assets, int repeats) {

    void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "sink benchmark: %d cores, Java %s, %d frames, libx264 preset %s tune %s crf %d, "
                        + "median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Inputs.FRAMES,
                H264Mp4Writer.PRESET,
                H264Mp4Writer.TUNE,
                H264Mp4Writer.CRF,
                repeats);
        Inputs.Rows rows = new Inputs.Rows();
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            Path frames = jpegFrames(Inputs.prepare(work, assets, size[0], size[1]), size[1]);
            List<byte[]> jpegs = new ArrayList<>();
            try (Stream<Path> s = Files.list(frames)) {
                for (Path f : s.sorted().toList()) {
                    jpegs.add(Files.readAllBytes(f));
                }
            }
            byte[] mask = MaskCodec.encode(drivingMask(size[0], size[1]));
            double[] fps = Inputs.alternatingFps(
                    repeats,
                    Inputs.FRAMES,
                    () -> anchorNanos(frames, size[1]),
                    () -> sinkNanos(jpegs, mask, size[0], size[1]));
            double anchor = fps[0];
            double sink = fps[1];
            rows.add(
                    "%-6s  ffmpeg %6.1f fps   sink overlay %6.1f fps   ratio %.2f",
                    size[1] + "p", anchor, sink, sink / anchor);
        }
        rows.summary();
    }

    /** The clip's frames as ingest publishes them: JPEG at about quality 90. */
    Path jpegFrames(Path clip, int height) throws Exception {
        return Inputs.once(
                work.resolve("frames-" + height + "p"),
                true,
                dir -> Tools.runFfmpeg(
                        "-i {} -an -c:v mjpeg -q:v {} -start_number 0 {}",
                        clip,
                        IngestBenchmark.FFMPEG_QSCALE,
                        dir.resolve("%05d.jpg")));
    }

    private long anchorNanos(Path frames, int height) throws Exception {
        Path out = work.resolve("anchor-" + height + "p.mp4");
        long took = Tools.runFfmpeg(
                "-framerate 25 -start_number 0 -i {} -c:v libx264 -preset {} -tune {} -crf {} -pix_fmt yuv420p "
                        + "-movflags frag_every_frame+empty_moov+default_base_moof -f mp4 {}",
                frames.resolve("%05d.jpg"),
                H264Mp4Writer.PRESET,
                H264Mp4Writer.TUNE,
                H264Mp4Writer.CRF,
                out);
        Inputs.requireFrames(out, Inputs.FRAMES, "ffmpeg");
        return took;
    }

    private long sinkNanos(List<byte[]> jpegs, byte[] maskPng, int width, int height) throws Exception {
        Path out = work.resolve("sink-" + height + "p.mp4");
        OverlayRenderer renderer = new OverlayRenderer(0.5);
        UUID session = UUID.randomUUID();
        long t0 = System.nanoTime();
        try (H264Mp4Writer writer = new H264Mp4Writer(out, width, height, 25, H264Mp4Writer.PRESET)) {
            for (int i = 0; i < jpegs.size(); i++) {
                FrameMeta meta = new FrameMeta(
                        session,
                        i,
                        i * 40_000L,
                        1_700_000_000_000_000L + i * 40_000L,
                        width,
                        height,
                        ImageEncoding.JPEG,
                        jpegs.size(),
                        25,
                        false);
                LabelMap mask = MaskCodec.decode(maskPng);
                Map<String, Double> fractions = ClassFractions.of(mask, Cityscapes.TAXONOMY);
                writer.write(renderer.render(
                        jpegs.get(i), "bench", meta, MaskStatus.OK, mask, fractions, 25.0, Cityscapes.TAXONOMY));
            }
        }
        long took = System.nanoTime() - t0;
        Inputs.requireFrames(out, Inputs.FRAMES, "the sink's overlay writer");
        return took;
    }

    /** A driving scene's layout: sky, vegetation and buildings, cars on the horizon, road below. */
    static LabelMap drivingMask(int w, int h) {
        byte[] labels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int label;
                if (y < h * 0.3) {
                    label = Cityscapes.TAXONOMY.byName("sky").orElseThrow().id();
                } else if (y < h * 0.5) {
                    label = x < w / 2
                            ? Cityscapes.TAXONOMY
                                    .byName("vegetation")
                                    .orElseThrow()
                                    .id()
                            : Cityscapes.TAXONOMY
                                    .byName("building")
                                    .orElseThrow()
                                    .id();
                } else if (y < h * 0.65 && x > w * 0.6 && x < w * 0.8) {
                    label = Cityscapes.CAR;
                } else {
                    label = Cityscapes.ROAD;
                }
                labels[y * w + x] = (byte) label;
            }
        }
        return new LabelMap(w, h, labels);
    }
}
