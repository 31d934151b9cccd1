package io.segstream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskStatus;
import io.segstream.testkit.Eventually;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int W = 64;
    private static final int H = 48;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LiveBoard board = new LiveBoard();
    private final UUID session = UUID.randomUUID();
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private LiveView view;
    private String base;

    @BeforeEach
    void start() throws Exception {
        view = new LiveView(new InetSocketAddress("127.0.0.1", 0), null, 0, board, registry, 0.5, 120);
        base = view.url();
    }

    @AfterEach
    void stop() {
        view.close();
    }

    @Test
    void shouldListCamerasWithTheirCountersAndServeTheirFiguresAfterAVersion() throws Exception {
        frame("cam", 0, MaskStatus.OK);
        frame("cam", 1, MaskStatus.SKIPPED_STALE);
        frame("cam", 2, MaskStatus.OK);

        JsonNode cameras = json(get("/api/cameras?scope=all"));
        assertThat(cameras.get("instance").asText()).isEqualTo(base);
        JsonNode cam = cameras.get("cameras").get(0);
        assertThat(cam.get("camera").asText()).isEqualTo("cam");
        assertThat(cam.get("kind").asText()).isEqualTo("live");
        assertThat(cam.get("frames").asLong()).isEqualTo(3);
        assertThat(cam.get("statuses").get("ok").asLong()).isEqualTo(2);
        assertThat(cam.get("statuses").get("skipped-stale").asLong()).isEqualTo(1);

        JsonNode figures = json(get("/api/camera?camera=cam&after=1"));
        assertThat(figures.get("points"))
                .extracting(p -> p.get("sequence").asLong())
                .containsExactly(1L, 2L);
        assertThat(figures.get("points").get(0).get("fractions").get("road").asDouble())
                .isEqualTo(0.5);
        assertThat(figures.get("points"))
                .as("each point says whether its frame was segmented (a page draws the others as gaps)")
                .extracting(p -> p.get("status").asText())
                .containsExactly("skipped-stale", "ok");
        assertThat(figures.get("points").get(0).get("nearest").get("vehicles").asDouble())
                .isEqualTo(0.75);
        assertThat(figures.get("classes").get(0).get("name").asText()).isEqualTo("road");
        assertThat(figures.get("classes").get(0).get("color").asText()).matches("#[0-9a-f]{6}");
    }

    @Test
    void shouldServeTheLatestFrameAsJpegOnceItIsNewerAndCountTheFramesAViewerSkipped() throws Exception {
        frame("cam", 0, MaskStatus.OK);
        HttpResponse<byte[]> first = get("/api/frame?camera=cam&after=-1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(first.headers().firstValue("X-Segstream-Sequence")).contains("0");
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(first.body()));
        assertThat(shown.getWidth()).isEqualTo(W);
        assertThat(shown.getHeight()).isEqualTo(H);
        long version =
                Long.parseLong(first.headers().firstValue("X-Segstream-Version").orElseThrow());

        // a request for the frame after the shown one waits for it
        CompletableFuture<HttpResponse<byte[]>> waiting = http.sendAsync(
                request("/api/frame?camera=cam&after=" + version), HttpResponse.BodyHandlers.ofByteArray());
        Eventually.await(
                "the request parked in the view",
                Duration.ofSeconds(30),
                () -> registry.get("segstream.view.waiting").gauge().value() == 1);
        assertThat(waiting).as("held by the view while nothing newer came").isNotDone();
        frame("cam", 1, MaskStatus.OK);
        frame("cam", 2, MaskStatus.OK);
        frame("cam", 3, MaskStatus.OK);
        HttpResponse<byte[]> next = waiting.get();
        assertThat(next.statusCode()).isEqualTo(200);
        // the viewer gets the latest (it came while the request was under way, or before it was answered)
        long sequence =
                Long.parseLong(next.headers().firstValue("X-Segstream-Sequence").orElseThrow());
        assertThat(sequence).isBetween(1L, 3L);
        HttpResponse<byte[]> latest = get("/api/frame?camera=cam&after=" + version);
        assertThat(latest.headers().firstValue("X-Segstream-Sequence")).contains("3");
        assertThat(latest.headers().firstValue("X-Segstream-Dropped")).contains("2");
        assertThat(registry.counter("segstream.view.frames.dropped").count()).isGreaterThanOrEqualTo(2);
        assertThat(registry.counter("segstream.view.bytes").count()).isGreaterThan(first.body().length);

        HttpResponse<byte[]> none = get("/api/frame?camera=cam&after=" + (version + 3));
        assertThat(none.statusCode()).as("nothing newer within the wait").isEqualTo(204);
    }

    @Test
    void shouldNeverMakeAPathOrAnAnswerOfWhatAUrlSays() throws Exception {
        frame("cam", 0, MaskStatus.OK);
        assertThat(get("/../../etc/passwd").statusCode()).isEqualTo(404);
        assertThat(get("/assets/../../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/api/frame?camera=..%2F..%2Fetc").statusCode()).isEqualTo(400);
        assertThat(get("/api/camera").statusCode()).isEqualTo(400);
        assertThat(json(get("/api/camera?camera=nobody")).get("error").asText()).contains("no frames of camera nobody");
        assertThat(get("/api/camera?camera=nobody").statusCode()).isEqualTo(404);
        assertThat(get("/api/cameras?camera=" + "x".repeat(2000)).statusCode()).isEqualTo(414);
        HttpResponse<byte[]> post = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/cameras"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(new String(get("/assets/uPlot.iife.min.js").body())).contains("uPlot");
    }

    @Test
    void shouldSendAViewerToTheInstanceThatHoldsTheCamera() throws Exception {
        view.instances(new Instances() {
            @Override
            public Optional<String> elsewhere(String camera) {
                return camera.equals("far") ? Optional.of("http://10.1.2.3:9403") : Optional.empty();
            }

            @Override
            public List<String> others() {
                return List.of("http://127.0.0.1:1");
            }
        });
        frame("far", 0, MaskStatus.OK);
        frame("near", 0, MaskStatus.OK);

        HttpResponse<byte[]> page = get("/camera.html?camera=far");
        assertThat(page.statusCode()).isEqualTo(307);
        assertThat(page.headers().firstValue("Location")).contains("http://10.1.2.3:9403/camera.html?camera=far");
        HttpResponse<byte[]> api = get("/api/frame?camera=far");
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(json(api).get("owner").asText()).isEqualTo("http://10.1.2.3:9403");
        JsonNode all = json(get("/api/cameras?scope=all"));
        assertThat(all.get("cameras")).extracting(c -> c.get("camera").asText()).containsExactly("near");
        assertThat(all.get("unreachable")).extracting(JsonNode::asText).containsExactly("http://127.0.0.1:1");
    }

    @Test
    void shouldRefuseFrameRequestsBeyondTheBoundWithoutSlowingTheSink() throws Exception {
        frame("cam", 0, MaskStatus.OK);
        long version = 1;
        List<CompletableFuture<HttpResponse<byte[]>>> waiting = new ArrayList<>();
        for (int i = 0; i < LiveView.MAX_WAITING + 4; i++) {
            waiting.add(http.sendAsync(
                    request("/api/frame?camera=cam&after=" + version), HttpResponse.BodyHandlers.ofByteArray()));
        }
        Eventually.await(
                "4 requests refused",
                Duration.ofSeconds(30),
                () -> registry.counter("segstream.view.refused").count() >= 4);
        assertThat(registry.counter("segstream.view.refused").count()).isEqualTo(4);
        // with every viewer slot taken the sink's hand-over still never waits for a viewer (one that did
        // would wait for the view's long poll to end, and for ever while viewers keep asking)
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 1; i <= 100; i++) {
                frame("cam", i, MaskStatus.OK);
            }
        });
        long ok = 0;
        for (CompletableFuture<HttpResponse<byte[]>> w : waiting) {
            int code = w.get().statusCode();
            assertThat(code).isIn(200, 503);
            ok += code == 200 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(LiveView.MAX_WAITING);
    }

    @Test
    void shouldRenderACameraAtMostAtTheViewsRateHoweverManyAskAndHowFastFramesCome() throws Exception {
        view.close();
        view = new LiveView(new InetSocketAddress("127.0.0.1", 0), null, 0, board, registry, 0.5, 5);
        base = view.url();
        frame("cam", 0, MaskStatus.OK);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread camera = new Thread(() -> {
            for (int i = 1; running.get(); i++) {
                try {
                    frame("cam", i, MaskStatus.OK);
                    Thread.sleep(5);
                } catch (Exception e) {
                    return;
                }
            }
        });
        camera.start();
        List<Thread> viewers = new ArrayList<>();
        AtomicLong shown = new AtomicLong();
        long t0 = System.nanoTime();
        for (int v = 0; v < 3; v++) {
            Thread t = new Thread(() -> {
                long after = -1;
                while (System.nanoTime() - t0 < 2_000_000_000L) {
                    try {
                        HttpResponse<byte[]> r = get("/api/frame?camera=cam&after=" + after);
                        after = Long.parseLong(
                                r.headers().firstValue("X-Segstream-Version").orElse(Long.toString(after)));
                        shown.addAndGet(r.statusCode() == 200 ? 1 : 0);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.start();
            viewers.add(t);
        }
        for (Thread t : viewers) {
            t.join();
        }
        running.set(false);
        camera.join();
        double renders = registry.counter("segstream.view.renders").count();
        // 2 s at 5 frames/s: 10 slots and the first render at most, whatever 3 viewers of a 200 frames/s
        // camera ask (the pacing itself, exactly, in RenderPacerTest); a busy machine only renders fewer
        assertThat(renders).isBetween(1.0, 12.0);
        assertThat(shown.get()).as("frames the three viewers got").isBetween(3L, 3 * 12L);
        assertThat(registry.counter("segstream.view.frames.dropped").count())
                .as("skipped frames counted")
                .isPositive();
    }

    @Test
    void shouldKeepAtMostTheBoundOfCamerasWhateverIdsAProducerInvents() throws Exception {
        for (int i = 0; i <= LiveBoard.MAX_CAMERAS + 10; i++) {
            frame("cam-" + i, 0, MaskStatus.OK);
        }
        assertThat(board.states()).hasSizeLessThanOrEqualTo(LiveBoard.MAX_CAMERAS);
        assertThat(board.camera("cam-" + (LiveBoard.MAX_CAMERAS + 10)))
                .as("the newest camera is kept")
                .isPresent();
        assertThat(json(get("/api/cameras")).get("cameras").size()).isLessThanOrEqualTo(LiveBoard.MAX_CAMERAS);
    }

    // ---- helpers ----

    private void frame(String camera, long seq, MaskStatus status) throws Exception {
        FrameMeta meta = new FrameMeta(
                session, seq, seq * 100_000, System.currentTimeMillis() * 1000, W, H, ImageEncoding.JPEG, -1, 10, true);
        byte[] labels = new byte[W * H]; // road (0) in the top half, sky (10) in the bottom half
        for (int i = labels.length / 2; i < labels.length; i++) {
            labels[i] = 10;
        }
        FrameStats stats = new FrameStats(
                camera,
                meta,
                "test-model",
                status,
                Map.of("road", 0.5, "sky", 0.5),
                Optional.of(new DrivingFigures(
                        0.9, Map.of("vehicles", new DrivingFigures.Obstacle(true, Optional.of(0.75))))),
                new FrameStats.Latencies(1, 2, 3, 40));
        board.frame(camera, stats, jpeg(), new LabelMap(W, H, labels), Cityscapes.TAXONOMY, true);
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, W, H);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
