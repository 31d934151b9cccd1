package io.segstream.bench;

import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Tools;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The benchmark's inputs, made once with Debian's ffmpeg from the real driving clip in the assets. */
final class Inputs {

    /** The asset clip is 38 frames; looped 8 times it lasts long enough to time. */
    static final int LOOPS = 8;

    static final int FRAMES = 38 * LOOPS;

    private Inputs() {}

    /** The driving clip at {@code width}x{@code height}, H.264, no audio, {@value #FRAMES} frames. */
    static Path prepare(Path work, Path assets, int width, int height) throws IOException, InterruptedException {
        Path source = assets.resolve("video/udacity_vehicle_detection_test_video.mp4");
        if (!Files.exists(source)) {
            throw new IOException("the driving clip " + source + " is missing (see ../shared/assets/MANIFEST.md)");
        }
        return once(
                work.resolve("drive-" + height + "p.mp4"),
                false,
                out -> Tools.runFfmpeg(
                        "-stream_loop {} -i {} -an -vf scale={}:{} -c:v libx264 -preset medium -crf 20 -pix_fmt yuv420p {}",
                        LOOPS - 1,
                        source,
                        width,
                        height,
                        out));
    }

    /** What makes an input of a benchmark. */
    interface Make {
        void into(Path out) throws IOException, InterruptedException;
    }

    /**
     * {@code out}, made by {@code make} unless an earlier run made it (the inputs are kept between
     * runs); its folder is created first, or {@code out} itself when it is a folder.
     */
    static Path once(Path out, boolean folder, Make make) throws IOException, InterruptedException {
        if (!Files.exists(out)) {
            Files.createDirectories(folder ? out : out.toAbsolutePath().getParent());
            make.into(out);
        }
        return out;
    }

    /** One timed run of a benchmark side, in nanoseconds. */
    interface Timed {
        long nanos() throws Exception;
    }

    /** Frames per second of a run over {@code frames} frames: the median of {@code repeats} runs after one warm-up. */
    static double medianFps(int repeats, int frames, Timed run) throws Exception {
        run.nanos();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            times.add(run.nanos());
        }
        return frames / (median(times) / 1e9);
    }

    /**
     * Frames per second of an anchor and of the run it measures, each the median of {@code repeats}
     * runs after one warm-up each, taken in turn (anchor, run, anchor, run, ...) so that a busy
     * moment of the machine does not favour one side: {@code [anchor, run]}.
     */
    static double[] alternatingFps(int repeats, int frames, Timed anchor, Timed run) throws Exception {
        anchor.nanos();
        run.nanos();
        List<Long> anchorTimes = new ArrayList<>();
        List<Long> runTimes = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            anchorTimes.add(anchor.nanos());
            runTimes.add(run.nanos());
        }
        return new double[] {frames / (median(anchorTimes) / 1e9), frames / (median(runTimes) / 1e9)};
    }

    private static long median(List<Long> times) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Fails, so that no figure is printed, unless the video {@code what} wrote holds exactly
     * {@code frames} frames (read back with FFmpeg).
     */
    static void requireFrames(Path video, int frames, String what) throws Exception {
        int counted = Clips.frameCount(video);
        if (counted != frames) {
            throw new IllegalStateException(
                    what + " wrote " + counted + " frames to " + video + ", not " + frames + ": no figure is reported");
        }
    }

    /** A benchmark's result rows: each printed as it comes, and all again under "summary:" at the end. */
    static final class Rows {
        private final List<String> rows = new ArrayList<>();

        void add(String format, Object... args) {
            String row = String.format(Locale.ROOT, format, args);
            rows.add(row);
            System.out.println(row);
        }

        void summary() {
            System.out.println("summary:");
            rows.forEach(r -> System.out.println("  " + r));
        }
    }

    /** Nanoseconds the model takes over {@code images}, one call each on one predictor. */
    static long modelNanos(SegmentationModel model, List<RgbImage> images) {
        try (SegmentationModel.Predictor p = model.newPredictor()) {
            long t0 = System.nanoTime();
            for (RgbImage image : images) {
                p.segment(image);
            }
            return System.nanoTime() - t0;
        }
    }

    /** A picture scaled to {@code w}x{@code h}, as JPEG. */
    static byte[] jpeg(BufferedImage src, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        img.createGraphics().drawImage(src, 0, 0, w, h, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }
}
