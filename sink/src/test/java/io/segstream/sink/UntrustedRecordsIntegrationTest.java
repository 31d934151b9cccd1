package io.segstream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Scale;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
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
    private static final int W = 16;
    private static final int H = 8;
    private static final int FRAMES = 5;

    @TempDir
    Path work;

    @Test
    void shouldKeepRunningAcrossRestartsWhenAFrameClaimsACaptureTimeFarInTheFuture(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "future-capture", 1);
        ModelDescription model = ModelDescription.of("production", Cityscapes.TAXONOMY);
        UUID good = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = TestTopics.producer(kafka)) {
            describe(producer, topics, model);
            long now = System.currentTimeMillis() * 1000;
            send(producer, topics, "bad", bad, 0, Long.MAX_VALUE, model);
            send(producer, topics, "ahead", UUID.randomUUID(), 0, now + 2 * 3_600_000_000L, model);
            for (int seq = 0; seq < FRAMES; seq++) {
                send(producer, topics, "good", good, seq, now + seq * 40_000L, model);
            }
            end(producer, topics, "bad", bad, 1);
            end(producer, topics, "good", good, FRAMES);
        }

        for (int run = 1; run <= 2; run++) { // a restart reads the same records again from the changelogs
            try (SinkService sink = new SinkService(config(kafka, topics, "state-" + run))) {
                sink.start();
                Eventually.await(
                        "both sessions ended on frame-stats", Duration.ofMinutes(2), () -> ended(kafka, topics) >= 2);
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
        List<JsonNode> stats = frameStats(kafka, topics);
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
                "native",
                Scale.ONE);
        UUID session = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = TestTopics.producer(kafka)) {
            describe(producer, topics, model);
            long now = System.currentTimeMillis() * 1000;
            send(producer, topics, "good", session, 0, now, model);
            describe(producer, topics, spoof); // keyed by the real id
            ProducerRecord<String, byte[]> evil = new ProducerRecord<>(
                    topics.masks(), "evil", ModelDescriptionJson.write(spoof).getBytes(StandardCharsets.UTF_8));
            WireHeaders.writeModelDescription(evil.headers());
            producer.send(evil);
            for (int seq = 1; seq < FRAMES; seq++) {
                send(producer, topics, "good", session, seq, now + seq * 40_000L, model);
            }
            end(producer, topics, "good", session, FRAMES);
        }

        try (SinkService sink = new SinkService(config(kafka, topics, "state"))) {
            sink.start();
            Eventually.await(
                    "the session ended on frame-stats", Duration.ofMinutes(2), () -> ended(kafka, topics) >= 1);
        }

        List<JsonNode> stats = frameStats(kafka, topics);
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

    private static void describe(KafkaProducer<String, byte[]> producer, Topics topics, ModelDescription d) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(
                topics.masks(), d.model(), ModelDescriptionJson.write(d).getBytes(StandardCharsets.UTF_8));
        WireHeaders.writeModelDescription(r.headers());
        producer.send(r);
    }

    /** A frame and its all-road mask, made with {@code model}. */
    private static void send(
            KafkaProducer<String, byte[]> producer,
            Topics topics,
            String camera,
            UUID session,
            long seq,
            long captureUs,
            ModelDescription model)
            throws Exception {
        FrameMeta meta = new FrameMeta(session, seq, seq * 40_000, captureUs, W, H, ImageEncoding.PNG, -1, 25, false);
        ProducerRecord<String, byte[]> frame = new ProducerRecord<>(topics.frames(), camera, picture());
        WireHeaders.writeFrame(frame.headers(), meta);
        producer.send(frame);
        ProducerRecord<String, byte[]> mask =
                new ProducerRecord<>(topics.masks(), camera, MaskCodec.encode(new LabelMap(W, H, new byte[W * H])));
        WireHeaders.writeMask(
                mask.headers(),
                new MaskMeta(meta, model.model(), 1000, MaskStatus.OK, ModelDescriptionJson.digest(model)));
        producer.send(mask);
    }

    private static void end(
            KafkaProducer<String, byte[]> producer, Topics topics, String camera, UUID session, long n) {
        for (String topic : List.of(topics.frames(), topics.masks())) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, camera, new byte[0]);
            WireHeaders.writeEndOfStream(r.headers(), new EndOfStream(session, n));
            producer.send(r);
        }
    }

    private static long ended(KafkaBroker kafka, Topics topics) {
        return TestTopics.readAll(kafka, topics.frameStats()).stream()
                .filter(r -> WireHeaders.isEndOfStream(r.headers()))
                .count();
    }

    private static List<JsonNode> frameStats(KafkaBroker kafka, Topics topics) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, topics.frameStats())) {
            if (!WireHeaders.isEndOfStream(r.headers())) {
                out.add(JSON.readTree(r.value()));
            }
        }
        return out;
    }

    private static List<JsonNode> windows(KafkaBroker kafka, Topics topics) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, topics.cameraStats())) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    private static byte[] picture() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return out.toByteArray();
    }
}
