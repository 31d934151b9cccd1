package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.app.http.HttpEndpoint;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Topics;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LogCapture;
import io.segstream.testkit.TestTopics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@KafkaIntegrationTest
class IngestOperabilityIntegrationTest {

    @Test
    void shouldServePrometheusMetricsAndAHealthThatNamesTheFailedCamera(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        Topics topics = TestTopics.create(kafka, "operability", 1);
        Path clip = Clips.write(dir.resolve("clip.mp4"), 12, 96, 64, avcodec.AV_CODEC_ID_H264);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpClient http = HttpClient.newHttpClient();

        try (LogCapture log = new LogCapture();
                Ingest ingest = new Ingest(
                        IngestConfig.defaults(kafka.bootstrapServers(), topics), new IngestMetrics(registry));
                HttpEndpoint endpoint = new HttpEndpoint(
                        new InetSocketAddress("127.0.0.1", 0), registry, () -> IngestCommand.health(ingest.status()))) {
            ingest.start(CameraSpec.of("good", clip.toString())).get(60, TimeUnit.SECONDS);
            ingest.start(CameraSpec.of("broken", dir.resolve("nope.mp4").toString()))
                    .get(60, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + endpoint.port();

            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("segstream_ingest_frames_decoded_total{camera=\"good\"} 12.0")
                    .contains("segstream_ingest_frames_published_total{camera=\"good\"} 12.0")
                    .contains("segstream_ingest_frames_dropped_total{camera=\"good\",reason=\"kafka-slow\"} 0.0")
                    .contains("segstream_ingest_failures_total{camera=\"broken\"} 1.0")
                    .contains("segstream_ingest_reconnects_total{camera=\"good\"} 0.0")
                    .contains("segstream_ingest_decode_seconds_count{camera=\"good\"} 12")
                    .contains("kafka_producer_");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body())
                    .contains("\"status\":\"DEGRADED\"")
                    .contains("{\"camera\":\"broken\",\"input\":\"" + dir.resolve("nope.mp4")
                            + "\",\"mode\":\"recorded\",\"state\":\"failed\",\"healthy\":false")
                    .contains("\"lastError\":\"cannot open input " + dir.resolve("nope.mp4") + ": no such file\"")
                    .contains("{\"camera\":\"good\",\"input\":\"" + clip
                            + "\",\"mode\":\"recorded\",\"state\":\"finished\",\"healthy\":true");
            assertThat(log.entries())
                    .filteredOn(e -> e.logger().startsWith("io.segstream.ingest.recorded"))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.camera()).isIn("good", "broken"));
        }
    }
}
