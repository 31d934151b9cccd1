package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink is closed in the middle of the driving clip and a new one, with empty local state, takes
 * over: its state comes back from the changelog, and the outputs still hold every frame exactly
 * once, with an overlay video that plays to the end.
 */
@KafkaIntegrationTest
class SinkRestartIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA = "clip";
    private static final int FRAMES = 38;

    @TempDir
    Path work;

    @Test
    void shouldKeepEveryFrameExactlyOnceAcrossARestart(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "sink-restart", 1);
        String prefix = TestTopics.prefix(topics);
        String group = prefix + Groups.SEGMENTER;
        Path out = work.resolve("out");
        Path clip = Assets.require(Assets.DRIVING_CLIP);
        long beforeRestart;
        try (SegmentationModel model = new ModelLoader(work.resolve("cache"), DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL));
                SegmenterWorker segmenter = new SegmenterWorker(
                        SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                                .withGroup(group)
                                .withBatch(2, Duration.ofMillis(20)),
                        model);
                Ingest ingest = new Ingest(
                        IngestConfig.defaults(kafka.bootstrapServers(), topics).withSegmenterGroup(group),
                        IngestMetrics.inMemory())) {
            new Thread(segmenter, "segmenter").start();
            CompletableFuture<IngestResult> result = ingest.start(CameraSpec.of(CAMERA, clip.toString()));
            try (SinkService first = new SinkService(config(kafka, topics, prefix, work.resolve("state-1"), out))) {
                first.start();
                beforeRestart = awaitFrameStats(kafka, topics, 12);
            }
            assertThat(beforeRestart)
                    .as("statistics published before the restart")
                    .isLessThan(FRAMES);
            Set<UUID> sessions = Set.copyOf(result.get(3, TimeUnit.MINUTES).sessions());
            try (SinkService second = new SinkService(config(kafka, topics, prefix, work.resolve("state-2"), out))) {
                second.start();
                Map<String, List<JsonNode>> stats =
                        ScaleOutIntegrationTest.frameStatsUntilEnded(kafka, topics, sessions);
                assertThat(stats.get(CAMERA))
                        .as("frame-stats across the restart")
                        .extracting(s -> s.get("sequence").asLong())
                        .containsExactlyElementsOf(
                                LongStream.range(0, FRAMES).boxed().toList());
            }
        }

        Path dir = out.resolve(CAMERA);
        List<String> lines = Files.readAllLines(dir.resolve("stats.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines)
                .extracting(l -> JSON.readTree(l).get("sequence").asLong())
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
        assertThat(JSON.readTree(dir.resolve("summary.json").toFile())
                        .get("summary")
                        .get("frames")
                        .asLong())
                .isEqualTo(FRAMES);
        try (FFmpegFrameGrabber g =
                new FFmpegFrameGrabber(dir.resolve("overlay.mp4").toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(1280);
            assertThat(g.getImageHeight()).isEqualTo(720);
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            assertThat(n).as("frames decoded from the overlay video").isEqualTo(FRAMES);
        }
    }

    private static SinkConfig config(KafkaBroker kafka, Topics topics, String prefix, Path state, Path out)
            throws Exception {
        return SinkConfig.defaults(
                kafka.bootstrapServers(), topics, prefix + "sink", Files.createDirectories(state), Optional.of(out));
    }

    /** Waits until at least {@code count} frame statistics are committed; returns how many there are. */
    private static long awaitFrameStats(KafkaBroker kafka, Topics topics, int count) throws InterruptedException {
        AtomicLong seen = new AtomicLong();
        Eventually.await(
                count + " frame statistics",
                Duration.ofMinutes(2),
                Duration.ofMillis(200),
                () -> {
                    seen.set(TestTopics.readAll(kafka, topics.frameStats()).stream()
                            .filter(r -> !WireHeaders.isEndOfStream(r.headers()))
                            .count());
                    return seen.get() >= count;
                },
                () -> "only " + seen.get());
        return seen.get();
    }
}
