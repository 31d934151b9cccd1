package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.runtime.TopicCreator;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.sink.view.DeclaredCameras;
import io.segstream.sink.view.LiveBoard;
import io.segstream.sink.view.LiveView;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LivePattern;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.ToolProcess;
import io.segstream.testkit.Tools;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sink instances of one application, each with its live view: the instance that does not hold
 * a live camera's partition lists it (through Kafka Streams' metadata and the other's view) and its
 * page leads to the camera, whose video plays; when the instance that holds it goes, the camera
 * plays on the other.
 */
@KafkaIntegrationTest
class LiveViewIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA = "front";

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @Test
    void shouldShowOnEveryInstanceACameraThatAnotherHoldsAndFollowItWhenItMoves(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "view", 4);
        String prefix = TestTopics.prefix(topics);
        String group = prefix + Groups.SEGMENTER;
        String url = "http://127.0.0.1:" + Tools.freePort() + "/front.ts";
        try (ToolProcess camera = LivePattern.send(work.resolve("camera.log"), "-f", "mpegts", "-listen", "1", url);
                SegmentationModel model = new ModelLoader(work.resolve("cache"), DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL))) {
            // closed in this order before the model: ingest, segmenter, sinks, views
            List<AutoCloseable> open = new ArrayList<>();
            try {
                run(kafka, topics, prefix, group, url, model, open);
            } finally {
                for (AutoCloseable c : open) {
                    c.close();
                }
            }
        }
    }

    private void run(
            KafkaBroker kafka,
            Topics topics,
            String prefix,
            String group,
            String url,
            SegmentationModel model,
            List<AutoCloseable> open)
            throws Exception {
        List<LiveView> views = new ArrayList<>();
        List<SinkService> sinks = new ArrayList<>();
        // a fleet's camera that no ingest runs: listed by every view from the cameras topic
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
                KafkaProducer<String, byte[]> producer = TestTopics.producer(kafka)) {
            TopicCreator.ensure(admin, List.of(topics.camerasSpec((short) 1)));
            producer.send(new ProducerRecord<>(
                            topics.cameras(),
                            "waiting-cam",
                            "{\"source\": \"rtsp://10.0.0.9/stream\", \"mode\": \"live\"}"
                                    .getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        for (String name : List.of("a", "b")) {
            LiveBoard board = new LiveBoard();
            LiveView view = new LiveView(
                    new InetSocketAddress("127.0.0.1", 0),
                    "127.0.0.1",
                    0,
                    board,
                    new SimpleMeterRegistry(),
                    0.5,
                    LiveView.DEFAULT_MAX_FPS);
            open.add(view);
            view.declared(new DeclaredCameras(kafka.bootstrapServers(), Map.of(), topics.cameras()));
            SinkService sink = new SinkService(
                    TestSinks.config(kafka, topics, work.resolve("state-" + name)),
                    Optional.of(board),
                    Optional.of(view.hostPort()));
            open.add(0, sink);
            view.instances(sink.instances());
            sink.start();
            views.add(view);
            sinks.add(sink);
        }
        Eventually.await(
                "both sinks running, each knowing the other",
                Duration.ofSeconds(60),
                () -> sinks.stream()
                        .allMatch(s -> s.state() == KafkaStreams.State.RUNNING
                                && s.instances().others().size() == 1));

        SegmenterWorker segmenter = new SegmenterWorker(
                SegmenterConfig.defaults(kafka.bootstrapServers(), topics).withGroup(group), model);
        open.add(0, segmenter);
        Thread t = new Thread(segmenter, "segmenter");
        t.start();
        Ingest ingest = new Ingest(
                IngestConfig.defaults(kafka.bootstrapServers(), topics).withSegmenterGroup(group),
                IngestMetrics.inMemory());
        open.add(0, ingest);
        ingest.start(CameraSpec.of(CAMERA, url));

        // which instance holds the camera: the one that lists it among its own
        Eventually.await(
                "one instance lists the camera as its own",
                Duration.ofSeconds(90),
                () -> views.stream().anyMatch(v -> localCameras(v).contains(CAMERA)));
        LiveView holder = views.stream()
                .filter(v -> localCameras(v).contains(CAMERA))
                .findFirst()
                .orElseThrow();
        LiveView other = views.get(0) == holder ? views.get(1) : views.get(0);
        assertThat(localCameras(other)).doesNotContain(CAMERA);

        JsonNode all = json(other.url() + "/api/cameras?scope=all");
        JsonNode listed = StreamSupport.stream(all.get("cameras").spliterator(), false)
                .filter(c -> c.get("camera").asText().equals(CAMERA))
                .findFirst()
                .orElseThrow();
        assertThat(listed.get("url").asText())
                .as("the camera's instance, as the other lists it")
                .isEqualTo(holder.url());
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(other.url() + "/camera.html?camera=" + CAMERA))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(307);
        assertThat(page.headers().firstValue("Location")).contains(holder.url() + "/camera.html?camera=" + CAMERA);

        // in the browser: the other instance's index, then the camera's page, whose video plays
        LivePages.Seen seen =
                LivePages.check(other.url() + "/", CAMERA, "live", Path.of("target", "screenshots", "two-sinks"));
        System.out.println("live view through the other sink instance: " + seen);
        assertThat(LivePages.row(other.url() + "/", "waiting-cam"))
                .as("the fleet's camera without frames, in the index")
                .contains("no frames yet", "rtsp://10.0.0.9/stream", "live");

        // the instance that holds the camera goes; its partitions move to the other, whose page plays it
        int gone = views.indexOf(holder);
        open.remove(sinks.get(gone));
        open.remove(holder);
        sinks.get(gone).close();
        holder.close();
        Eventually.await(
                "the remaining instance holds the camera",
                Duration.ofSeconds(90),
                () -> localCameras(other).contains(CAMERA));
        LivePages.Seen moved = LivePages.check(
                other.url() + "/", CAMERA, "live", Path.of("target", "screenshots", "two-sinks-after-rebalance"));
        System.out.println("live view after the camera moved to the remaining instance: " + moved);
    }

    private List<String> localCameras(LiveView view) {
        try {
            return StreamSupport.stream(
                            json(view.url() + "/api/cameras").get("cameras").spliterator(), false)
                    .map(c -> c.get("camera").asText())
                    .toList();
        } catch (ConnectException notYet) { // not listening yet; any other failure or a non-200 answer fails the test
            return List.of();
        } catch (Exception e) {
            throw new IllegalStateException(view.url() + "/api/cameras failed: " + e, e);
        }
    }

    private JsonNode json(String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
