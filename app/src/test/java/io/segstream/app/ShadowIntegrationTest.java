package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Groups;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.RealKafka;
import io.segstream.testkit.Schemas;
import io.segstream.testkit.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * segstream shadow against a real production run: the driving clip through the EdgeTPU
 * Cityscapes model, shadowed by the same model (agreement exactly 1), by the same model at twice
 * the scale, and by the DeepLabv3+ with its ADE20K classes mapped onto Cityscapes; a time range
 * replays exactly the frames captured in it; production's offsets and outputs stay as they were.
 */
@ExtendWith(RealKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class ShadowIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA = "udacity_vehicle_detection_test_video";

    @TempDir
    static Path work;

    private String prefix;
    private Path out;
    private final Map<Long, Long> captureBySequence = new TreeMap<>();

    @BeforeAll
    void produce(KafkaBroker kafka) throws Exception {
        prefix = TestTopics.uniquePrefix("production");
        out = work.resolve("production");
        int code = Main.execute(
                "run",
                "--input=" + Assets.require(Assets.DRIVING_CLIP).toString(),
                "--model=" + Assets.require(Assets.SAVED_MODEL).toString(),
                "--out=" + out.toString(),
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix,
                "--model-cache=" + work.resolve("cache").toString(),
                "--device=cpu");
        assertThat(code).isZero();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, prefix + "frames")) {
            if (!WireHeaders.isEndOfStream(r.headers())) {
                FrameMeta f = WireHeaders.readFrame(r.headers());
                captureBySequence.put(f.sequence(), f.captureMicros());
            }
        }
        assertThat(captureBySequence).hasSize(38);
    }

    private record Shadowed(List<JsonNode> frames, JsonNode overall, Path report) {}

    private Shadowed shadow(KafkaBroker kafka, String name, long fromSeq, long toSeq, String model, String... more)
            throws Exception {
        String shadowPrefix = TestTopics.uniquePrefix(name);
        Path report = work.resolve(name);
        List<String> args = new ArrayList<>(List.of(
                "shadow",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix,
                "--shadow-prefix=" + shadowPrefix,
                "--model=" + Assets.require(model).toString(),
                "--from=" + instant(captureBySequence.get(fromSeq)).toString(),
                "--to="
                        + instant(captureBySequence.get(toSeq) + (toSeq == 37 ? 1 : 0))
                                .toString(),
                "--out=" + report.toString(),
                "--model-cache=" + work.resolve("cache").toString(),
                "--device=cpu"));
        args.addAll(List.of(more));
        StdErr.Captured run = StdErr.capture(() -> Main.execute(args.toArray(String[]::new)));
        assertThat(run.code()).as(run.stderr()).isZero();
        List<JsonNode> frames = new ArrayList<>();
        JsonNode overall = null;
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, shadowPrefix + "shadow")) {
            JsonNode n = JSON.readTree(r.value());
            Schemas.assertValid(n.has("summary") ? Schemas.SHADOW_SUMMARY : Schemas.SHADOW_COMPARISON, n.toString());
            if (n.has("summary")) {
                if (n.get("camera").asText().equals("*")) {
                    overall = n;
                }
            } else {
                frames.add(n);
            }
        }
        assertThat(TestTopics.readAll(kafka, shadowPrefix + "masks")).hasSameSizeAs(frames);
        System.out.printf(
                "shadow %s: agreement mean %s min %s; drivable |diff| %s; ms/frame production %s candidate %s%n"
                        + "  class IoU %s%n",
                name,
                overall.get("agreement").get("mean"),
                overall.get("agreement").get("min"),
                overall.get("driving").get("drivable").get("meanAbsDiff"),
                overall.get("production").get("inferenceMs"),
                overall.get("candidate").get("inferenceMs"),
                overall.get("classes"));
        // kept beside the build's output for a person to open
        Files.copy(
                report.resolve("shadow-report.html"),
                Files.createDirectories(Path.of("target")).resolve("shadow-report-" + name + ".html"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Shadowed(frames, overall, report.resolve("shadow-report.html"));
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
    }

    @Test
    void shouldAgreeExactlyWithTheSameModelAndLeaveProductionUntouched(KafkaBroker kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsetsBefore = committed(kafka);
        Map<String, Integer> recordsBefore = productionRecords(kafka);
        Map<Path, Long> filesBefore = files(out);

        Shadowed same = shadow(kafka, "same", 0, 37, Assets.SAVED_MODEL);

        assertThat(same.frames()).hasSize(38);
        assertThat(same.frames()).allSatisfy(f -> {
            assertThat(f.get("compared").asBoolean()).isTrue();
            assertThat(f.get("agreement").asDouble()).isEqualTo(1.0);
        });
        assertThat(same.overall().get("agreement").get("mean").asDouble()).isEqualTo(1.0);
        assertThat(same.overall().get("classes").get("road").get("iou").asDouble())
                .isEqualTo(1.0);
        assertThat(committed(kafka)).as("production's committed offsets").isEqualTo(offsetsBefore);
        assertThat(productionRecords(kafka)).as("production's records").isEqualTo(recordsBefore);
        assertThat(files(out)).as("production's files").isEqualTo(filesBefore);
        String html = Files.readString(same.report());
        assertThat(html.split("<img ", -1)).as("side-by-side overlays").hasSizeGreaterThanOrEqualTo(9);
        assertThat(html).contains("src=\"data:image/jpeg;base64,").doesNotContain("src=\"http");
    }

    @Test
    void shouldReplayExactlyTheFramesCapturedInATimeRange(KafkaBroker kafka) throws Exception {
        Shadowed range = shadow(kafka, "range", 10, 20, Assets.SAVED_MODEL);

        assertThat(range.frames())
                .extracting(f -> f.get("sequence").asLong())
                .containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
    }

    @Test
    void shouldCompareTheSameModelAtTwiceTheScaleAndTheDecoderModelThroughAMapping(KafkaBroker kafka) throws Exception {
        Shadowed twice = shadow(kafka, "scale2", 0, 37, Assets.SAVED_MODEL, "--scale", "2");
        assertThat(twice.frames())
                .hasSize(38)
                .allSatisfy(f -> assertThat(f.get("compared").asBoolean()).isTrue());
        double scaled = twice.overall().get("agreement").get("mean").asDouble();
        assertThat(scaled)
                .as("measured 0.52: upscaled (blurred) 720p frames push this model off; it still finds the sky")
                .isCloseTo(0.52, within(0.05));
        assertThat(twice.overall().get("classes").get("sky").get("iou").asDouble())
                .isGreaterThan(0.5);

        Shadowed ade = shadow(
                kafka,
                "ade20k",
                0,
                37,
                Assets.ADE_SAVED_MODEL,
                "--model-descriptor=" + Assets.project(Assets.ADE_DESCRIPTOR).toString(),
                "--mapping="
                        + Assets.project("descriptors/ade20k32-to-cityscapes.yaml")
                                .toString());
        assertThat(ade.frames())
                .hasSize(38)
                .allSatisfy(f -> assertThat(f.get("compared").asBoolean()).isTrue());
        assertThat(ade.overall().get("classes").fieldNames())
                .toIterable()
                .containsExactly("road", "sidewalk", "building", "vegetation", "terrain", "sky", "person", "car");
        assertThat(ade.overall().get("agreement").get("mean").asDouble())
                .as("measured 0.79")
                .isCloseTo(0.79, within(0.05));
        assertThat(ade.overall().get("classes").get("road").get("iou").asDouble())
                .as("road IoU")
                .isGreaterThan(0.6);
    }

    @Test
    void shouldShadowLiveFramesAsTheyComeAndReportWindows(KafkaBroker kafka) throws Exception {
        String shadowPrefix = TestTopics.uniquePrefix("live");
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        io.segstream.app.shadow.ShadowRun.Outcome outcome;
        try (io.segstream.segmenter.model.SegmentationModel same = new io.segstream.segmenter.model.ModelLoader(
                        work.resolve("cache"), io.segstream.segmenter.model.DeviceChoice.CPU)
                .load(Assets.require(Assets.SAVED_MODEL))) {
            io.segstream.app.shadow.ShadowRun run = new io.segstream.app.shadow.ShadowRun(
                    new io.segstream.app.shadow.ShadowRun.Settings(
                            kafka.bootstrapServers(),
                            Map.of(),
                            io.segstream.protocol.Topics.withPrefix(prefix),
                            shadowPrefix,
                            java.util.Optional.empty(),
                            Instant.now(),
                            Instant.now(),
                            java.util.Optional.empty(),
                            work.resolve("live"),
                            20000,
                            2,
                            io.segstream.sink.stats.EgoCorridor.DEFAULT),
                    same,
                    System.err);
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<io.segstream.app.shadow.ShadowRun.Outcome> shadowed =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return run.live(java.time.Duration.ofSeconds(3), running::get, ready::countDown);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            assertThat(ready.await(60, TimeUnit.SECONDS))
                    .as("the shadow reads from the topics' ends")
                    .isTrue();
            int produced = Main.execute(
                    "run",
                    "--input=" + Assets.require(Assets.DRIVING_CLIP).toString(),
                    "--model=" + Assets.require(Assets.SAVED_MODEL).toString(),
                    "--out=" + work.resolve("production-2").toString(),
                    "--bootstrap-servers=" + kafka.bootstrapServers(),
                    "--topic-prefix=" + prefix,
                    "--model-cache=" + work.resolve("cache").toString(),
                    "--device=cpu");
            assertThat(produced).isZero();
            try {
                Eventually.await(
                        "the shadow's comparison of the 38 frames",
                        Duration.ofSeconds(150),
                        Duration.ofMillis(500),
                        () -> compared(kafka, shadowPrefix) >= 38,
                        () -> "");
            } finally {
                running.set(false);
            }
            outcome = shadowed.get(60, TimeUnit.SECONDS);
        }
        assertThat(outcome).isEqualTo(io.segstream.app.shadow.ShadowRun.Outcome.DONE);
        List<JsonNode> frames = new ArrayList<>();
        List<JsonNode> windows = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, shadowPrefix + "shadow")) {
            JsonNode n = JSON.readTree(r.value());
            Schemas.assertValid(n.has("summary") ? Schemas.SHADOW_SUMMARY : Schemas.SHADOW_COMPARISON, n.toString());
            (n.has("summary") ? windows : frames).add(n);
        }
        assertThat(frames)
                .as("the second run's frames, compared as they came")
                .hasSize(38)
                .allSatisfy(f -> assertThat(f.get("agreement").asDouble()).isEqualTo(1.0));
        assertThat(windows)
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w.has("window")).isTrue());
        assertThat(windows.stream()
                        .filter(w -> w.get("camera").asText().equals("*"))
                        .mapToLong(w -> w.get("compared").asLong())
                        .sum())
                .isEqualTo(38);
        assertThat(work.resolve("live").resolve("shadow-report.html")).exists();
    }

    private static long compared(KafkaBroker kafka, String shadowPrefix) throws Exception {
        long n = 0;
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, shadowPrefix + "shadow")) {
            JsonNode record = JSON.readTree(r.value());
            n += !record.has("summary") && record.path("compared").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(prefix + Groups.SEGMENTER)
                    .partitionsToOffsetAndMetadata()
                    .get();
        }
    }

    private Map<String, Integer> productionRecords(KafkaBroker kafka) {
        Map<String, Integer> out = new TreeMap<>();
        for (String t : List.of("masks", "frame-stats", "camera-stats", "models")) {
            out.put(t, TestTopics.readAll(kafka, prefix + t).size());
        }
        return out;
    }

    private static Map<Path, Long> files(Path dir) throws Exception {
        Map<Path, Long> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(
                        dir.relativize(p),
                        Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }
}
