package io.segstream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.metrics.CameraMetrics;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Topics;
import io.segstream.runtime.TopicCreator;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.LivePattern;
import io.segstream.testkit.ToolProcess;
import io.segstream.testkit.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka slower than the camera, to the extreme: the broker goes away. Decoding goes on, the oldest
 * waiting frames are dropped and counted, and memory stays bounded by the queue.
 */
@IntegrationTest
class KafkaOutageIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepDecodingAndDropTheOldestFramesWhenKafkaStopsAcknowledging() throws Exception {
        String url = "http://127.0.0.1:" + Tools.freePort() + "/live.ts";
        IngestMetrics metrics = IngestMetrics.inMemory();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Topics topics = Topics.withPrefix("outage.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicCreator.ensure(admin, topics.specs(1, (short) 1, Duration.ofHours(1)));
        }
        IngestConfig config = IngestConfig.defaults(kafka.bootstrapServers(), topics)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (ToolProcess camera = LivePattern.send(dir.resolve("ffmpeg.log"), "-f", "mpegts", "-listen", "1", url);
                Ingest ingest = new Ingest(config, metrics)) {
            ingest.start(CameraSpec.of("cam", url));
            CameraMetrics cam = metrics.camera("cam");
            await(() -> cam.publishedCount() >= 10, "10 frames published");

            kafka.close();
            long decodedAtOutage = cam.decodedCount();
            long outage = System.nanoTime();
            await(() -> cam.decodedCount() - decodedAtOutage >= 25, "25 frames decoded with the broker gone");

            long decodedSince = cam.decodedCount() - decodedAtOutage;
            // the camera sends LivePattern.FPS frames a second: 25 take 2.5 s at its pace; decoding that
            // waited on the broker would not get them at all (the await above fails), one that slowed
            // down would take longer than twice that
            assertThat(Duration.ofNanos(System.nanoTime() - outage))
                    .as("time to decode 25 frames of a %d fps camera without a broker", LivePattern.FPS)
                    .isLessThan(Duration.ofMillis(2 * 25 * 1000 / LivePattern.FPS));
            assertThat(cam.droppedCount())
                    .as("oldest frames dropped")
                    .isGreaterThanOrEqualTo(decodedSince - 2 * config.liveQueue() - config.liveMaxUnacked());
            assertThat(ingest.status())
                    .singleElement()
                    .extracting(CameraStatus::state)
                    .isEqualTo(CameraStatus.State.STREAMING);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.await(what, Duration.ofSeconds(40), condition::getAsBoolean);
    }
}
