package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.RgbImage;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live camera sending 1280x720 frames four times as fast as the model, batched, runs them on this
 * machine (measured first, so that the test means the same on two cores and on a GPU): the frames
 * it cannot reach in time are answered as skipped, not queued, so the age of the frames it does
 * infer stays bounded, and the frames the worker holds at once are bounded.
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
                        new ModelLoader(cache, DeviceChoice.AUTO).load(Assets.require(Assets.SAVED_MODEL));
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
            long frameNanos = cameraInterval(model, picture, config.batchSize());
            new Thread(worker, "worker").start();
            UUID session = UUID.randomUUID();
            int frames = 240;
            long next = System.nanoTime();
            while (sent < frames) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), "cam", picture);
                WireHeaders.writeFrame(
                        r.headers(),
                        r.key(),
                        new FrameMeta(
                                session,
                                sent++,
                                sent * (frameNanos / 1000),
                                nowMicros(),
                                1280,
                                720,
                                ImageEncoding.JPEG,
                                -1,
                                1e9 / frameNanos,
                                true));
                camera.send(r);
                next += frameNanos;
                LockSupport.parkNanos(next - System.nanoTime());
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

    /**
     * The time between the camera's frames: a quarter of what the model takes per frame in batches of
     * {@code batch} on this machine (the median of three calls after a warm-up), at least 2 ms.
     */
    private static long cameraInterval(SegmentationModel model, byte[] picture, int batch) {
        List<RgbImage> images = Collections.nCopies(batch, FrameDecoder.decode(picture));
        long[] took = new long[3];
        try (SegmentationModel.Predictor predictor = model.newPredictor()) {
            predictor.segment(images);
            for (int i = 0; i < took.length; i++) {
                long t0 = System.nanoTime();
                predictor.segment(images);
                took[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(took);
        long perFrame = took[1] / batch;
        System.out.printf(
                "live mode: the model takes %.1f ms a frame in batches of %d; the camera sends every %.1f ms%n",
                perFrame / 1e6, batch, Math.max(2_000_000L, perFrame / 4) / 1e6);
        return Math.max(2_000_000L, perFrame / 4);
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
