package io.segstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Size;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LogCapture;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.TopicWatch;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@KafkaIntegrationTest
class RecordedInputIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldPublishExactlyTheDecodedFramesOfARealClipInOrderThenTheEndOfStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "recorded-real", 1);
        Path clip = Assets.require(Assets.DRIVING_CLIP);

        IngestResult result;
        try (Ingest ingest = new Ingest(kafka.bootstrapServers(), topics)) {
            result = ingest.start(CameraSpec.of("dashcam", clip.toString())).get(120, TimeUnit.SECONDS);
        }

        assertThat(result.succeeded()).isTrue();
        List<ConsumerRecord<String, byte[]>> records = TestTopics.read(kafka, topics.frames(), 39);
        assertThat(records).hasSize(39);
        List<FrameMeta> frames = LiveFrames.frames(records, "dashcam");
        assertThat(frames)
                .extracting(FrameMeta::sequence)
                .containsExactlyElementsOf(LongStream.range(0, 38).boxed().toList());
        assertThat(frames).extracting(FrameMeta::ptsMicros).isSorted().doesNotHaveDuplicates();
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(1280);
            assertThat(f.height()).isEqualTo(720);
            assertThat(f.lengthHint()).isEqualTo(38);
            assertThat(f.live()).isFalse();
            assertThat(f.frameRate()).isEqualTo(25.0);
        });
        assertThat(WireHeaders.readEndOfStream(records.get(38).headers()).frameCount())
                .isEqualTo(38);
    }

    @Test
    void shouldKeepNoMoreThanTheBoundInFlightUntilTheSegmentersCommit(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "recorded-bound", 1);
        Path clip = Clips.write(dir.resolve("clip.mp4"), 30, 96, 64, avcodec.AV_CODEC_ID_H264);
        String group = "segmenters-" + UUID.randomUUID();
        IngestConfig config =
                IngestConfig.defaults(kafka.bootstrapServers(), topics).withMaxInFlight(5, java.util.List.of(group));

        try (Ingest ingest = new Ingest(config, IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            CompletableFuture<IngestResult> result = ingest.start(CameraSpec.of("cam", clip.toString()));

            List<ConsumerRecord<String, byte[]>> held = watch.pollFor(Duration.ofSeconds(3));
            assertThat(held).as("frames on the topic with no segmenter running").hasSize(5);
            assertThat(result).isNotDone();

            try (KafkaConsumer<String, byte[]> segmenter = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG,
                            group,
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false),
                    new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                segmenter.subscribe(List.of(topics.frames()));
                int consumed = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (consumed < 31 && System.nanoTime() < deadline) {
                    consumed += segmenter.poll(Duration.ofMillis(200)).count();
                    segmenter.commitSync();
                }
                assertThat(consumed).isEqualTo(31);
            }
            assertThat(result.get(30, TimeUnit.SECONDS).frames()).isEqualTo(30);
        }
    }

    @Test
    void shouldPublishAnImageSequenceInFileNameOrderAtItsFrameRate(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "recorded-images", 1);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 4; i >= 0; i--) {
            writePicture(images.resolve(String.format("frame_%03d.%s", i, i % 2 == 0 ? "png" : "jpg")), 64, 48, i);
        }
        Files.writeString(images.resolve("README.txt"), "not a picture");

        IngestResult result;
        try (Ingest ingest = new Ingest(kafka.bootstrapServers(), topics)) {
            result = ingest.start(CameraSpec.of("seq", images.resolve("frame_*").toString()))
                    .get(60, TimeUnit.SECONDS);
        }

        assertThat(result.succeeded()).isTrue();
        assertThat(result.frames()).isEqualTo(5);
        List<ConsumerRecord<String, byte[]>> records = TestTopics.read(kafka, topics.frames(), 6);
        List<FrameMeta> frames = LiveFrames.frames(records, "seq");
        assertThat(frames).extracting(FrameMeta::ptsMicros).containsExactly(0L, 100_000L, 200_000L, 300_000L, 400_000L);
        for (int i = 0; i < 5; i++) {
            BufferedImage img =
                    ImageIO.read(new ByteArrayInputStream(records.get(i).value()));
            assertThat(img.getRGB(32, 24) & 0xFF).as("frame %d", i).isBetween(level(i) - 6, level(i) + 6);
        }
    }

    @Test
    void shouldSampleToTheTargetRateAndDownscaleToTheMaximumSize(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "recorded-sampled", 1);
        Path clip = Clips.write(dir.resolve("clip.mp4"), 20, 320, 240, avcodec.AV_CODEC_ID_H264);

        IngestResult result;
        try (Ingest ingest = new Ingest(kafka.bootstrapServers(), topics)) {
            result = ingest.start(CameraSpec.of("cam", clip.toString())
                            .withTargetFps(5)
                            .withMaxSize(new Size(160, 160)))
                    .get(60, TimeUnit.SECONDS);
        }

        assertThat(result.frames()).isEqualTo(10);
        List<FrameMeta> frames = LiveFrames.frames(TestTopics.read(kafka, topics.frames(), 11), "cam");
        assertThat(frames).hasSize(10).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(160);
            assertThat(f.height()).isEqualTo(120);
        });
        assertThat(frames)
                .extracting(FrameMeta::sequence)
                .containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
    }

    @Test
    void shouldNameThePictureOfASequenceThatCannotBeRead(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "recorded-bad-image", 1);
        Path images = Files.createDirectories(dir.resolve("images"));
        writePicture(images.resolve("a.png"), 32, 32, 0);
        Path broken = Files.write(images.resolve("b.png"), new byte[] {1, 2, 3, 4});

        try (LogCapture log = new LogCapture();
                Ingest ingest = new Ingest(kafka.bootstrapServers(), topics)) {
            IngestResult result =
                    ingest.start(CameraSpec.of("seq", images.toString())).get(60, TimeUnit.SECONDS);

            assertThat(result.succeeded()).isFalse();
            assertThat(result.frames()).isEqualTo(1);
            assertThat(log.errors())
                    .containsExactly("Camera seq: input " + images + " failed after 1 frames: " + broken
                            + " is not a PNG or JPEG picture");
        }
    }

    private static int level(int i) {
        return 30 + 40 * i;
    }

    private static void writePicture(Path file, int w, int h, int i) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(level(i), level(i), level(i)));
        g.fillRect(0, 0, w, h);
        g.dispose();
        String name = file.getFileName().toString();
        ImageIO.write(img, name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg"), file.toFile());
    }
}
