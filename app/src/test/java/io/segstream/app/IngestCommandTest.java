package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@KafkaIntegrationTest
class IngestCommandTest {

    @TempDir
    Path work;

    @Test
    void shouldPublishTheCamerasOfTheFileAndTheCommandLineAndExitOneWhenAnInputFails(KafkaBroker kafka)
            throws Exception {
        Path a = Clips.write(work.resolve("a.mp4"), 8, 96, 64, avcodec.AV_CODEC_ID_H264);
        Path b = Clips.write(work.resolve("b.mp4"), 20, 96, 64, avcodec.AV_CODEC_ID_H264);
        Path missing = work.resolve("missing.mp4");
        Path config = Files.writeString(work.resolve("cameras.yaml"), """
                defaults:
                  fps: 5
                cameras:
                  - id: from-file
                    source: %s
                """.formatted(b));
        String prefix = TestTopics.uniquePrefix("ingest-cli");

        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "ingest",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix,
                "--partitions=2",
                "--config=" + config.toString(),
                "--camera=from-cli=" + a,
                "--camera=gone=" + missing,
                "--metrics-port=0",
                "--max-in-flight=0"));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("segstream ingest: camera gone: cannot open input " + missing + ": no such file")
                .as("the other cameras' frames all reached the broker")
                .doesNotContain("camera from-file:")
                .doesNotContain("camera from-cli:");
        List<ConsumerRecord<String, byte[]>> records =
                TestTopics.read(kafka, Topics.withPrefix(prefix).frames(), 8 + 1 + 10 + 1);
        assertThat(records).filteredOn(r -> r.key().equals("from-cli")).hasSize(9);
        assertThat(records)
                .filteredOn(r -> r.key().equals("from-file"))
                .hasSize(11)
                .last()
                .satisfies(
                        r -> assertThat(WireHeaders.readEndOfStream(r.headers()).frameCount())
                                .isEqualTo(10));
    }

    @Test
    void shouldRefuseToStartListingEveryProblem() throws Exception {
        Path config = Files.writeString(work.resolve("cameras.yaml"), """
                cameras:
                  - id: x
                    source: /data/x.mp4
                    fps: fast
                """);

        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "ingest",
                "--config=" + config.toString(),
                "--camera=nonsense",
                "--camera=ok=/data/y.mp4",
                "--jpeg-quality=0"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr().lines().toList())
                .containsExactly(
                        "segstream ingest: " + config + ": cameras[0] (x): fps: must be a number, got 'fast'",
                        "segstream ingest: --camera nonsense: expected ID=SOURCE",
                        "segstream ingest: --camera ok=/data/y.mp4: jpeg-quality: must be 1-100, got 0",
                        "segstream ingest: --bootstrap-servers (or SEGSTREAM_BOOTSTRAP_SERVERS) is required");
    }
}
