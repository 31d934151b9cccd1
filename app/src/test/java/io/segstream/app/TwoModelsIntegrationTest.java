package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.Topics;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.testkit.Assets;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One deployment, two segmenter groups with different models on different cameras: the EdgeTPU
 * Cityscapes model segments the {@code city-*} cameras, the SIGNATE export (5 classes) the
 * {@code jp-*} ones. Each camera's statistics come out once per frame, in its own model's terms,
 * through one sink; ingest waits for both groups.
 */
@KafkaIntegrationTest
class TwoModelsIntegrationTest {

    @Test
    void shouldReportEachCameraInTheTermsOfTheModelThatSegmentsIt(KafkaBroker kafka, @TempDir Path work)
            throws Exception {
        Topics topics = TestTopics.create(kafka, "two-models", 2);
        String prefix = TestTopics.prefix(topics);
        String clip = Assets.require(Assets.DRIVING_CLIP).toString();
        List<CameraSpec> cameras = List.of(
                CameraSpec.of("city-front", clip).withTargetFps(5),
                CameraSpec.of("jp-front", clip).withTargetFps(5));
        Map<String, List<JsonNode>> stats;
        try (SegmentationModel city = new ModelLoader(work.resolve("cache"), DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL));
                SegmentationModel jp = new ModelLoader(
                                work.resolve("cache"),
                                DeviceChoice.CPU,
                                Optional.of(Assets.project(Assets.SIGNATE_DESCRIPTOR)))
                        .load(Assets.require(Assets.SIGNATE_GRAPH));
                SinkService sink = new SinkService(TestSinks.config(kafka, topics, work.resolve("state")));
                SegmenterWorker cityGroup = new SegmenterWorker(
                        SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                                .withGroup(prefix + "city")
                                .withCameras(Pattern.compile("city-.*")),
                        city);
                SegmenterWorker jpGroup = new SegmenterWorker(
                        SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                                .withGroup(prefix + "jp")
                                .withCameras(Pattern.compile("jp-.*")),
                        jp)) {
            sink.start();
            new Thread(cityGroup, "segmenter-city").start();
            new Thread(jpGroup, "segmenter-jp").start();
            List<CompletableFuture<IngestResult>> results;
            try (Ingest ingest = new Ingest(
                    IngestConfig.defaults(kafka.bootstrapServers(), topics)
                            .withMaxInFlight(4, List.of(prefix + "city", prefix + "jp")),
                    IngestMetrics.inMemory())) {
                results = cameras.stream().map(ingest::start).toList();
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                        .get(3, TimeUnit.MINUTES);
            }
            Set<UUID> sessions =
                    results.stream().flatMap(r -> r.join().sessions().stream()).collect(Collectors.toSet());
            stats = ScaleOutIntegrationTest.frameStatsUntilEnded(kafka, topics, sessions);
            long frames = results.get(0).join().frames();
            assertThat(frames).isGreaterThan(5);
            assertThat(stats.get("city-front")).hasSize((int) frames);
            assertThat(stats.get("jp-front"))
                    .hasSize((int) results.get(1).join().frames());
        }

        assertThat(stats.get("city-front")).allSatisfy(s -> {
            assertThat(s.get("model").asText()).isEqualTo("deeplab_edgetpu_slim_cityscapes_savedmodel");
            assertThat(s.get("status").asText()).isEqualTo("ok");
            assertThat(s.get("classes").size()).isEqualTo(19);
            assertThat(s.get("classes").fieldNames().next())
                    .isEqualTo(Cityscapes.TAXONOMY.get(0).name());
        });
        assertThat(stats.get("jp-front")).allSatisfy(s -> {
            assertThat(s.get("model").asText()).isEqualTo("signate-deeplabv3plus-mnv3");
            assertThat(s.get("status").asText()).isEqualTo("ok");
            assertThat(s.get("classes").fieldNames())
                    .toIterable()
                    .containsExactly("background", "lane", "signal", "pedestrian", "car");
        });
        RunOutputs.validateTopics(kafka, prefix);
    }
}
