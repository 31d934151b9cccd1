package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.LabelMap;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: the real driving clip through a real broker, the real DeepLab
 * Cityscapes model on DJL's TensorFlow engine, out as overlay video and per-frame statistics.
 */
@KafkaIntegrationTest
class RunCommandIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA = "udacity_vehicle_detection_test_video";

    @TempDir
    Path work;

    @Test
    void shouldSegmentEveryFrameOfTheClipWithTheSavedModel(KafkaBroker kafka) throws Exception {
        String prefix = runAndCheck(kafka, Assets.require(Assets.SAVED_MODEL));

        // the same topics read by programs without segstream's code (README, "Consume the topics")
        OtherLanguageConsumers.checkKcatHeaders(kafka, prefix);
        OtherLanguageConsumers.checkPythonConsumer(kafka, prefix, work.resolve("out"), CAMERA, work);
    }

    @Test
    void shouldSegmentEveryFrameOfTheClipWithTheFrozenGraph(KafkaBroker kafka) throws Exception {
        runAndCheck(kafka, Assets.require(Assets.FROZEN_GRAPH));
    }

    @Test
    void shouldRunOnTheEmbeddedBrokerWhenNoClusterIsGiven() throws Exception {
        Path clip = Assets.require(Assets.DRIVING_CLIP);
        Path out = work.resolve("out");

        int code = Main.execute(
                "run",
                "--input=" + clip.toString(),
                "--model=" + Assets.require(Assets.SAVED_MODEL).toString(),
                "--out=" + out.toString(),
                "--model-cache=" + work.resolve("cache").toString());

        assertThat(code).isZero();
        int decoded = Clips.frameCount(clip);
        assertThat(statsLines(out)).hasSize(decoded);
        assertThat(overlayFrameCount(out.resolve(CAMERA).resolve("overlay.mp4")))
                .isEqualTo(decoded);

        // report.html beside the files, opened from disk in headless Chromium as a reader would
        ReportPage.check(
                out.resolve(CAMERA).resolve("report.html"),
                clipDuration(clip),
                decoded,
                Path.of("target", "screenshots", "report.png"));
    }

    private static Duration clipDuration(Path clip) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
            g.start();
            return Duration.ofMillis(Math.round(Clips.frameCount(clip) * 1000 / g.getFrameRate()));
        }
    }

    /** Runs the clip through the pipeline on {@code kafka} and checks its outputs; returns the topic prefix. */
    private String runAndCheck(KafkaBroker kafka, Path model) throws Exception {
        Path clip = Assets.require(Assets.DRIVING_CLIP);
        Path out = work.resolve("out");
        String prefix = TestTopics.uniquePrefix("run");

        int code = Main.execute(
                "run",
                "--input=" + clip.toString(),
                "--model=" + model.toString(),
                "--out=" + out.toString(),
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix,
                "--model-cache=" + work.resolve("cache").toString());

        assertThat(code).isZero();
        int decoded = Clips.frameCount(clip);
        assertThat(decoded).isEqualTo(38);

        List<JsonNode> stats = statsLines(out);
        assertThat(stats).hasSize(decoded);
        assertThat(stats)
                .extracting(s -> s.get("sequence").asLong())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, decoded).boxed().toList());
        assertThat(stats)
                .extracting(s -> s.get("session").asText())
                .containsOnly(stats.get(0).get("session").asText());
        assertThat(stats).allSatisfy(s -> {
            assertThat(s.get("status").asText()).isEqualTo("ok");
            assertThat(s.get("width").asInt()).isEqualTo(1280);
            double sum = 0;
            for (JsonNode f : s.get("classes")) {
                sum += f.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(vehicleFraction(s))
                    .as("vehicles in frame %s", s.get("sequence"))
                    .isGreaterThan(0.01);
            JsonNode driving = s.get("driving");
            assertThat(driving.get("corridor").get("drivable").asDouble())
                    .as("road in the ego corridor on the highway")
                    .isBetween(0.25, 1.0);
            assertThat(driving.get("obstacles").fieldNames())
                    .toIterable()
                    .containsExactly("vehicles", "persons", "twoWheelers");
        });

        assertThat(overlayFrameCount(out.resolve(CAMERA).resolve("overlay.mp4")))
                .isEqualTo(decoded);
        JsonNode summary = RunOutputs.summary(out, CAMERA).get("summary");
        assertThat(summary.get("frames").asLong()).isEqualTo(decoded);
        assertThat(summary.get("ok").asLong()).isEqualTo(decoded);
        assertThat(summary.get("latencyMs").get("endToEnd").get("p99").asDouble())
                .as("end-to-end p99 (ms) of a clip read at once: a real figure, not a wrong clock's")
                .isBetween(1.0, 120_000.0);

        List<JsonNode> published = RunOutputs.validateTopics(kafka, prefix);
        assertThat(published)
                .as("one frame-stats record per frame, exactly once, in order, then the end of stream")
                .extracting(
                        n -> n.has("endOfStream") ? "eos" : n.get("sequence").asText())
                .containsExactlyElementsOf(java.util.stream.Stream.concat(
                                java.util.stream.IntStream.range(0, decoded).mapToObj(Integer::toString),
                                java.util.stream.Stream.of("eos"))
                        .toList());
        java.util.Map<Long, Long> framesPerWindowSize = new java.util.TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, prefix + "camera-stats")) {
            JsonNode w = JSON.readTree(r.value());
            assertThat(r.key()).isEqualTo(CAMERA);
            framesPerWindowSize.merge(
                    w.get("window").get("sizeMs").asLong(), w.get("frames").asLong(), Long::sum);
        }
        assertThat(framesPerWindowSize)
                .as("camera-stats frames per window length")
                .isEqualTo(java.util.Map.of(1000L, (long) decoded, 60_000L, (long) decoded));

        List<LabelMap> masks = RunOutputs.masks(kafka, prefix + "masks");
        assertThat(masks).hasSize(decoded);
        assertThat(masks).allSatisfy(m -> {
            assertThat(m.width()).isEqualTo(1280);
            assertThat(m.height()).isEqualTo(720);
        });
        long[] clipCounts = new long[256];
        long framesWithRoadFirst = masks.stream()
                .map(RunOutputs::bottomCentreCounts)
                .peek(c -> java.util.Arrays.setAll(clipCounts, i -> clipCounts[i] + c[i]))
                .filter(c -> RunOutputs.argMax(c) == Cityscapes.ROAD)
                .count();
        double roadShare = clipCounts[Cityscapes.ROAD]
                / (double) java.util.Arrays.stream(clipCounts).sum();
        System.out.printf(
                "bottom-centre: road largest in %d of %d frames, road %.3f of its pixels over the clip%n",
                framesWithRoadFirst, masks.size(), roadShare);
        assertThat(RunOutputs.argMax(clipCounts)).isEqualTo(Cityscapes.ROAD);
        assertThat(roadShare).isGreaterThan(0.6);
        assertThat(framesWithRoadFirst).isGreaterThanOrEqualTo(Math.round(masks.size() * 0.9));
        return prefix;
    }

    private static double vehicleFraction(JsonNode stats) {
        return Cityscapes.VEHICLES.stream()
                .mapToDouble(id -> stats.get("classes")
                        .get(Cityscapes.TAXONOMY.get(id).name())
                        .asDouble())
                .sum();
    }

    private static List<JsonNode> statsLines(Path out) throws IOException {
        return RunOutputs.statsLines(out, CAMERA);
    }

    private static int overlayFrameCount(Path video) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(1280);
            assertThat(g.getImageHeight()).isEqualTo(720);
            assertThat(g.getVideoCodecName()).isEqualTo("h264");
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            return n;
        }
    }
}
