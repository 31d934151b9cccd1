package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Assets;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.TopicWatch;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live camera sending 30 frames a second of 1280x720, several times what the model runs on two
 * cores: the frames it cannot reach in time are answered as skipped, not queued, so the age of the
 * frames it does infer stays bounded, and the frames the worker holds at once are bounded.
 */
@KafkaIntegrationTest
class LiveModeIntegrationTest {

    @Test
    void shouldSkipLiveFramesItCannotReachInTimeAndKeepTheAgeOfInferredOnesBounded(
            KafkaBroker kafka, @TempDir Path cache) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-mode", 1);
        byte[] picture = jpegOf(Assets.require("cityscapes/frankfurt_000000_000294_leftImg8bit.png"), 1280, 720);
        Duration maxAge = Duration.ofMillis(500);
        SegmenterConfig config =
                SegmenterConfig.defaults(kafka.bootstrapServers(), topics).withMaxAge(maxAge);
        SegmenterMetrics metrics = SegmenterMetrics.inMemory();
        int sent = 0;

        try (SegmentationModel model =
                        new ModelLoader(cache, DeviceChoice.CPU).load(Assets.require(Assets.SAVED_MODEL));
                SegmenterWorker worker = new SegmenterWorker(config, model, metrics);
                TopicWatch masks = new TopicWatch(kafka, topics.masks());
                KafkaProducer<String, byte[]> camera = new KafkaProducer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "max.in.flight.requests.per.connection",
                                1),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            new Thread(worker, "worker").start();
            UUID session = UUID.randomUUID();
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), "cam", picture);
                WireHeaders.writeFrame(
                        r.headers(),
                        new FrameMeta(
                                session,
                                sent++,
                                sent * 33_333L,
                                nowMicros(),
                                1280,
                                720,
                                ImageEncoding.JPEG,
                                -1,
                                30,
                                true));
                camera.send(r);
                Thread.sleep(33);
            }
            int total = sent;
            List<ConsumerRecord<String, byte[]>> answered =
                    masks.await("a mask for every frame", Duration.ofSeconds(60), all -> all.size() >= total);

            List<ConsumerRecord<String, byte[]>> inferred = answered.stream()
                    .filter(m -> WireHeaders.readMask(m.headers()).status() == MaskStatus.OK)
                    .toList();
            long skipped = answered.stream()
                    .filter(m -> WireHeaders.readMask(m.headers()).status() == MaskStatus.SKIPPED_STALE)
                    .count();
            assertThat(answered).hasSize(total);
            assertThat(skipped).as("frames skipped of %d", total).isGreaterThan(total / 2);
            assertThat(inferred).as("frames inferred").hasSizeGreaterThanOrEqualTo(5);
            // the age a frame had when the model started on it: its mask's publication less the model's time
            long worstAgeMs = inferred.stream()
                    .mapToLong(m -> {
                        MaskMeta meta = WireHeaders.readMask(m.headers());
                        return m.timestamp() - meta.frame().captureMicros() / 1000 - meta.inferenceMicros() / 1000;
                    })
                    .max()
                    .orElseThrow();
            assertThat(worstAgeMs)
                    .as("age of an inferred frame when the model took it, ms")
                    .isLessThan(maxAge.toMillis() + 500);
            assertThat(metrics.masks(MaskStatus.SKIPPED_STALE)).isEqualTo(skipped);
            // a poll brings at most POLL_BATCHES batches; beyond BUFFERED_BATCHES left for later, partitions pause
            assertThat(metrics.mostHeld())
                    .as("frames held by the worker at once")
                    .isLessThanOrEqualTo(
                            (SegmenterWorker.POLL_BATCHES + SegmenterWorker.BUFFERED_BATCHES) * config.batchSize());
        }
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static byte[] jpegOf(Path png, int w, int h) throws Exception {
        BufferedImage src = ImageIO.read(png.toFile());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        img.createGraphics().drawImage(src, 0, 0, w, h, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }
}
