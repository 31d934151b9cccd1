package io.segstream.bench;

import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Topics;
import io.segstream.runtime.TopicCreator;
import io.segstream.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Ingest frames per second on a 720p and a 1080p clip (decode, JPEG encode, publish to the
 * in-process broker with acks=all), beside the ffmpeg command line decoding the same clip and
 * encoding JPEG ({@code ffmpeg -i clip -an -c:v mjpeg -q:v 3 -f image2pipe}), as a ratio.
 * Each figure is the median of the repeats, after one warm-up run.
 */
record IngestBenchmark(Path work, Path assets, int repeats) {

    static final int JPEG_QUALITY = 90;
    static final String FFMPEG_QSCALE = "3";

    void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "ingest benchmark: %d cores, Java %s, %d frames per clip, JPEG quality %d vs ffmpeg -q:v %s, "
                        + "median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Inputs.FRAMES,
                JPEG_QUALITY,
                FFMPEG_QSCALE,
                repeats);
        Inputs.Rows rows = new Inputs.Rows();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
                Path clip = Inputs.prepare(work, assets, size[0], size[1]);
                double[] fps = Inputs.alternatingFps(
                        repeats, Inputs.FRAMES, () -> anchorNanos(clip), () -> ingestNanos(kafka, clip));
                double anchor = fps[0];
                double ingest = fps[1];
                long ffmpegBytes = anchorBytes(clip);
                rows.add(
                        "%-6s  ffmpeg %7.1f fps (%6.1f KB/frame)   ingest %7.1f fps   ratio %.2f",
                        size[1] + "p", anchor, ffmpegBytes / 1024.0 / Inputs.FRAMES, ingest, ingest / anchor);
            }
        }
        rows.summary();
    }

    private long anchorNanos(Path clip) throws Exception {
        return Tools.runFfmpeg("-i {} -an -c:v mjpeg -q:v {} -f image2pipe /dev/null", clip, FFMPEG_QSCALE);
    }

    private long anchorBytes(Path clip) throws Exception {
        Path out = work.resolve("anchor.mjpeg");
        Tools.runFfmpeg("-i {} -an -c:v mjpeg -q:v {} -f image2pipe {}", clip, FFMPEG_QSCALE, out);
        long size = Files.size(out);
        Files.delete(out);
        return size;
    }

    private long ingestNanos(EmbeddedKafka kafka, Path clip) throws Exception {
        Topics topics =
                Topics.withPrefix("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicCreator.ensure(admin, topics.specs(1, (short) 1, Duration.ofHours(1)));
        }
        IngestConfig config =
                IngestConfig.defaults(kafka.bootstrapServers(), topics).withMaxInFlight(0, List.of("none"));
        try (Ingest ingest = new Ingest(config, IngestMetrics.inMemory())) {
            long t0 = System.nanoTime();
            IngestResult r = ingest.start(
                            CameraSpec.of("bench", clip.toString()).withEncoding(ImageEncoding.JPEG, JPEG_QUALITY))
                    .get(10, TimeUnit.MINUTES);
            long took = System.nanoTime() - t0;
            if (!r.succeeded() || r.frames() != Inputs.FRAMES) {
                throw new IllegalStateException("ingest did not publish every frame: " + r);
            }
            return took;
        }
    }
}
