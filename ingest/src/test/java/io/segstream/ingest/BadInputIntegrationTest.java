package io.segstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Topics;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LogCapture;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.Tools;
import io.segstream.testkit.TopicWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bad input fails alone with one error line naming the camera, the input and the cause, while
 * a healthy camera in the same process publishes all its frames.
 */
@KafkaIntegrationTest
class BadInputIntegrationTest {

    @TempDir
    Path dir;

    private Path input(String kind) throws Exception {
        return switch (kind) {
            case "missing" -> dir.resolve("missing.mp4");
            case "empty" -> BadFiles.empty(dir);
            case "truncated" -> BadFiles.truncated(dir);
            case "garbage" -> BadFiles.garbage(dir);
            case "unsupported-codec" -> BadFiles.unsupportedCodec(dir);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String cause(String kind) {
        return switch (kind) {
            case "missing" -> "no such file";
            case "empty" -> "the file is empty";
            case "truncated" -> "FFmpeg cannot read it as video (moov atom not found)";
            case "garbage" -> "FFmpeg cannot read it as video (moov atom not found)";
            case "unsupported-codec" ->
                "unsupported video codec (Could not find codec parameters for stream 0 "
                        + "(Video: none (ZZZ9 / 0x395A5A5A), none, 96x64): unknown codec)";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0} file")
    @ValueSource(strings = {"missing", "empty", "truncated", "garbage", "unsupported-codec"})
    void shouldReportABadFileInOneLineWhileAHealthyCameraPublishesEverything(String kind, KafkaBroker kafka)
            throws Exception {
        Topics topics = TestTopics.create(kafka, "bad-" + kind, 2);
        Path bad = input(kind);
        Path good = goodClip();

        IngestResult badResult;
        IngestResult goodResult;
        try (LogCapture log = new LogCapture();
                Ingest ingest = new Ingest(kafka.bootstrapServers(), topics)) {
            CompletableFuture<IngestResult> b = ingest.start(CameraSpec.of("bad-cam", bad.toString()));
            CompletableFuture<IngestResult> g = ingest.start(CameraSpec.of("good-cam", good.toString()));
            badResult = b.get(60, TimeUnit.SECONDS);
            goodResult = g.get(60, TimeUnit.SECONDS);

            assertThat(log.errors()).containsExactly("Camera bad-cam: cannot open input " + bad + ": " + cause(kind));
        }
        assertThat(badResult.succeeded()).isFalse();
        assertThat(goodResult.succeeded()).isTrue();
        List<ConsumerRecord<String, byte[]>> records = TestTopics.read(kafka, topics.frames(), 13);
        assertThat(records).hasSize(13).allSatisfy(r -> assertThat(r.key()).isEqualTo("good-cam"));
    }

    /** A healthy recorded input of 12 frames, beside the bad one. */
    private Path goodClip() throws Exception {
        return Clips.write(dir.resolve("good.mp4"), 12, 96, 64, avcodec.AV_CODEC_ID_H264);
    }

    @Test
    void shouldGiveUpOnAnUnreachableRecordedUrlAfterItsAttemptsWithOneErrorLine(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "bad-url", 1);
        int port = Tools.freePort();
        String url = "http://127.0.0.1:" + port + "/drive.ts";
        Path good = goodClip();
        IngestConfig config = IngestConfig.defaults(kafka.bootstrapServers(), topics)
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
                .withRecordedAttempts(3);

        try (LogCapture log = new LogCapture();
                Ingest ingest = new Ingest(config, IngestMetrics.inMemory())) {
            CompletableFuture<IngestResult> b =
                    ingest.start(CameraSpec.of("url-cam", url).withLive(false));
            CompletableFuture<IngestResult> g = ingest.start(CameraSpec.of("good-cam", good.toString()));

            assertThat(b.get(60, TimeUnit.SECONDS).succeeded()).isFalse();
            assertThat(g.get(60, TimeUnit.SECONDS).frames()).isEqualTo(12);
            assertThat(log.errors())
                    .containsExactly("Camera url-cam: cannot open input " + url
                            + ": cannot open it (Connection to tcp://127.0.0.1:" + port
                            + " failed: Connection refused) (3 attempts)");
            assertThat(log.lines())
                    .filteredOn(l -> l.startsWith("WARN Camera url-cam"))
                    .hasSize(2)
                    .allSatisfy(l -> assertThat(l).contains("retry"));
        }
    }

    @Test
    void shouldKeepRetryingAnUnreachableLiveCameraWhileTheOthersPublish(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "bad-live", 1);
        int port = Tools.freePort();
        String url = "rtsp://127.0.0.1:" + port + "/cam";
        Path good = goodClip();
        IngestConfig config = IngestConfig.defaults(kafka.bootstrapServers(), topics)
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(300));

        try (LogCapture log = new LogCapture();
                Ingest ingest = new Ingest(config, IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("dead-cam", url));
            assertThat(ingest.start(CameraSpec.of("good-cam", good.toString()))
                            .get(60, TimeUnit.SECONDS)
                            .frames())
                    .isEqualTo(12);
            watch.await("the good camera's frames", Duration.ofSeconds(30), LiveFrames.atLeast("good-cam", 12));
            Eventually.await(
                    "the dead camera tried again",
                    Duration.ofSeconds(10),
                    () -> log.lines().stream().anyMatch(l -> l.startsWith("WARN Camera dead-cam: cannot open")));

            assertThat(log.errors())
                    .containsExactly(
                            "Camera dead-cam: cannot open " + url + ": cannot open it (Connection to tcp://127.0.0.1:"
                                    + port + " failed: Connection refused)");
            assertThat(log.lines())
                    .filteredOn(l -> l.startsWith("WARN Camera dead-cam: cannot open"))
                    .isNotEmpty();
            CameraStatus dead = ingest.status().get(0);
            assertThat(dead.camera()).isEqualTo("dead-cam");
            assertThat(dead.healthy()).isFalse();
            assertThat(dead.reconnects()).isGreaterThanOrEqualTo(2);
            assertThat(dead.lastError())
                    .hasValue("cannot open it (Connection to tcp://127.0.0.1:" + port + " failed: Connection refused)");
        }
    }
}
