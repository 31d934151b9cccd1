package io.segstream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Scale;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.SizingMode;
import io.segstream.protocol.Taxonomy;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink on a real broker, fed by a foreign producer: records a buggy or hostile producer writes
 * on frames and masks never stop it, never make it write what the broker refuses, and never change
 * another camera's statistics.
 */
@KafkaIntegrationTest
class UntrustedRecordsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAMES = 5;

    @TempDir
    Path work;

    @Test
    void shouldKeepRunningAcrossRestartsWhenAFrameClaimsACaptureTimeFarInTheFuture(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "future-capture", 1);
        ModelDescription model = ModelDescription.of("production", Cityscapes.TAXONOMY);
        UUID good = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        HandMadeRecords records = new HandMadeRecords(kafka, topics);
        records.describe(model);
        long now = System.currentTimeMillis() * 1000;
        records.frameAndMask("bad", bad, 0, Long.MAX_VALUE, model);
        records.frameAndMask("ahead", UUID.randomUUID(), 0, now + 2 * 3_600_000_000L, model);
        for (int seq = 0; seq < FRAMES; seq++) {
            records.frameAndMask("good", good, seq, now + seq * 40_000L, model);
        }
        records.end("bad", bad, 1);
        records.end("good", good, FRAMES);
        records.close();

        for (int run = 1; run <= 2; run++) { // a restart reads the same records again from the changelogs
            try (SinkService sink = new SinkService(config(kafka, topics, "state-" + run))) {
                sink.start();
                Eventually.await(
                        "both sessions ended on frame-stats",
                        Duration.ofMinutes(2),
                        () -> HandMadeRecords.ended(kafka, topics) >= 2);
                Eventually.await(
                        "camera-stats of the far-future camera",
                        Duration.ofSeconds(30),
                        () -> windows(kafka, topics).stream()
                                .anyMatch(w -> w.get("camera").asText().equals("bad")));
                assertThat(sink.state()).as("run %d", run).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
        long nowMs = System.currentTimeMillis();
        assertThat(TestTopics.readAll(kafka, topics.cameraStats()))
                .extracting(ConsumerRecord::timestamp)
                .as("every camera-stats record the broker took is stamped with the sink's clock")
                .allSatisfy(t -> assertThat(t).isBetween(nowMs - 300_000, nowMs));
        List<JsonNode> stats = HandMadeRecords.frameStats(kafka, topics);
        assertThat(stats.stream().filter(s -> s.get("camera").asText().equals("good")))
                .extracting(s -> s.get("sequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(stats.stream().filter(s -> !s.get("camera").asText().equals("good")))
                .extracting(s -> s.get("latencyMs").get("endToEnd").isNull())
                .as("no latency from a capture time ahead of the clock")
                .containsOnly(true);
    }

    @Test
    void shouldNotLetADescriptionFromAnotherProducerChangeTheStatisticsOfTheRealModelsCameras(KafkaBroker kafka)
            throws Exception {
        Topics topics = TestTopics.create(kafka, "spoof", 1);
        ModelDescription model = ModelDescription.of("production", Cityscapes.TAXONOMY);
        Taxonomy renamed = new Taxonomy(
                "spoof",
                Cityscapes.TAXONOMY.classes().stream()
                        .map(c -> new SegmentationClass(c.id(), "spoofed-" + c.id(), 0))
                        .toList());
        ModelDescription spoof = new ModelDescription(
                "production",
                renamed,
                new DrivingGroups(List.of(), List.of(), List.of(), List.of()),
                Optional.empty(),
                SizingMode.NATIVE,
                Scale.ONE);
        UUID session = UUID.randomUUID();
        HandMadeRecords records = new HandMadeRecords(kafka, topics);
        records.describe(model);
        long now = System.currentTimeMillis() * 1000;
        records.frameAndMask("good", session, 0, now, model);
        records.describe(spoof); // keyed by the real id
        try (KafkaProducer<String, byte[]> producer = TestTopics.producer(kafka)) {
            ProducerRecord<String, byte[]> evil = new ProducerRecord<>(
                    topics.masks(), "evil", ModelDescriptionJson.write(spoof).getBytes(StandardCharsets.UTF_8));
            WireHeaders.writeModelDescription(evil.headers(), spoof);
            producer.send(evil);
        }
        for (int seq = 1; seq < FRAMES; seq++) {
            records.frameAndMask("good", session, seq, now + seq * 40_000L, model);
        }
        records.end("good", session, FRAMES);
        records.close();

        try (SinkService sink = new SinkService(config(kafka, topics, "state"))) {
            sink.start();
            Eventually.await(
                    "the session ended on frame-stats",
                    Duration.ofMinutes(2),
                    () -> HandMadeRecords.ended(kafka, topics) >= 1);
        }

        List<JsonNode> stats = HandMadeRecords.frameStats(kafka, topics);
        assertThat(stats).hasSize(FRAMES);
        for (JsonNode s : stats) {
            assertThat(s.get("status").asText()).isEqualTo("ok");
            assertThat(s.get("classes").fieldNames()).toIterable().startsWith("road", "sidewalk");
            assertThat(s.get("driving").get("corridor").get("drivable").asDouble())
                    .as(
                            "frame %d: road is drivable in the real model's groups",
                            s.get("sequence").asLong())
                    .isEqualTo(1.0);
        }
    }

    private SinkConfig config(KafkaBroker kafka, Topics topics, String state) throws Exception {
        return SinkConfig.defaults(
                kafka.bootstrapServers(),
                topics,
                TestTopics.prefix(topics) + "sink",
                Files.createDirectories(work.resolve(state)),
                Optional.empty());
    }

    private static List<JsonNode> windows(KafkaBroker kafka, Topics topics) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, topics.cameraStats())) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }
}
