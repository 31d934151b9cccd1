package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.sink.SinkService;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.LivePattern;
import io.segstream.testkit.RealKafka;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.ToolProcess;
import io.segstream.testkit.Tools;
import io.segstream.testkit.TopicWatch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a user types it: the ./segstream launcher in a process of its own,
 * on the packaged application (so a class path that misses a jar fails here, not for the user).
 */
@IntegrationTest
class LauncherIT {

    @TempDir
    Path work;

    @Test
    void shouldRunTheReadmeCommandOnTheDrivingClip() throws Exception {
        Path clip = Assets.require(Assets.DRIVING_CLIP);
        Path model = Assets.require(Assets.ADE_SAVED_MODEL); // the README's quick start: no descriptor given
        Path log = work.resolve("launcher.log");

        Process p = Launcher.start(
                log,
                "2g",
                "run",
                "--input=" + clip.toString(),
                "--model=" + model.toString(),
                "--out=" + work.resolve("out").toString(),
                "--model-cache=" + work.resolve("cache").toString());
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = read(log);

        assertThat(finished)
                .as("launcher finished in time; output:%n%s", output)
                .isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("progress: udacity_vehicle_detection_test_video 38/38 frames (100%)");
        Path camera = work.resolve("out").resolve("udacity_vehicle_detection_test_video");
        List<String> stats = Files.readAllLines(camera.resolve("stats.jsonl"));
        assertThat(stats).hasSize(38);
        assertThat(stats)
                .as("the packed descriptor, found in the jar by the graph's SHA-256: ADE20K classes")
                .allSatisfy(l -> assertThat(l)
                        .contains("\"model\":\"deeplabv3plus-mnv2-ade20k32\"")
                        .contains("\"sky\":"));
        assertThat(Files.readString(camera.resolve("report.html")))
                .as("the report names the classes in the model's colours")
                .contains("\"name\":\"sky\",\"color\":\"#06e6e6\"");
        assertThat(output).contains("descriptor descriptors/deeplabv3plus_mnv2_ade20k32.yaml (made for its graph");
        assertThat(Clips.frameCount(camera.resolve("overlay.mp4")))
                .as("frames in the overlay")
                .isEqualTo(38);
    }

    @Test
    void shouldRunALiveCameraUntilStoppedThenFinishEveryFrameItSent() throws Exception {
        Path model = Assets.require(Assets.SAVED_MODEL);
        Path log = work.resolve("launcher.log");
        String url = "http://127.0.0.1:" + Tools.freePort() + "/front.ts";

        int viewPort = Tools.freePort();
        try (ToolProcess camera = LivePattern.send(work.resolve("camera.log"), "-f", "mpegts", "-listen", "1", url)) {
            Process p = Launcher.start(
                    log,
                    "2g",
                    "run",
                    "--input=" + url,
                    "--model=" + model.toString(),
                    "--out=" + work.resolve("out").toString(),
                    "--model-cache=" + work.resolve("cache").toString(),
                    "--view-port=" + Integer.toString(viewPort));
            Eventually.await(
                    "20 frames through the pipeline",
                    Duration.ofMinutes(3),
                    Duration.ofMillis(200),
                    () -> framesDone(read(log)) >= 20 || !p.isAlive(),
                    () -> "");
            assertThat(framesDone(read(log)))
                    .as("frames through the pipeline; output:%n%s", read(log))
                    .isGreaterThanOrEqualTo(20);

            // the live view, whose address the run printed at start-up, in headless Chromium
            String viewUrl = "http://127.0.0.1:" + viewPort + "/";
            assertThat(read(log)).contains("live view: " + viewUrl);
            LivePages.Seen seen = LivePages.check(viewUrl, "front", "live", Path.of("target", "screenshots"));
            System.out.println("live view of the embedded run (" + LivePattern.WIDTH + "x" + LivePattern.HEIGHT + " at "
                    + LivePattern.FPS + " frames/s): " + seen);

            p.destroy();
            boolean finished = p.waitFor(2, TimeUnit.MINUTES);
            String output = read(log);

            assertThat(finished).as("stopped in time; output:%n%s", output).isTrue();
            assertThat(p.exitValue())
                    .as("exit code of a run stopped by SIGTERM, all it sent through; output:%n%s", output)
                    .isZero();
            Path live = work.resolve("out").resolve("front").resolve("live");
            List<Path> videos;
            try (java.util.stream.Stream<Path> files = Files.list(live)) {
                videos = files.filter(f -> f.toString().endsWith(".mp4")).toList();
            }
            assertThat(videos)
                    .as("one rolling file: the run was shorter than a file's 5 minutes")
                    .hasSize(1);
            Path video = videos.get(0);
            long lines = Files.readAllLines(
                            video.resolveSibling(video.getFileName().toString().replace(".mp4", ".jsonl")))
                    .size();
            assertThat(lines).as("statistics of every frame sent").isGreaterThanOrEqualTo(20);
            assertThat(Clips.frameCount(video))
                    .as("a finished, playable overlay")
                    .isEqualTo(lines);
            List<String> names;
            try (java.util.stream.Stream<Path> files = Files.list(live)) {
                names = files.map(f -> f.getFileName().toString()).sorted().toList();
            }
            assertThat(names.stream().filter(n -> n.endsWith(".summary.json")).count())
                    .as("session summaries among %s; output:%n%s", names, output)
                    .isEqualTo(1);
        }
    }

    @Test
    @ExtendWith(RealKafka.class)
    void shouldServeALiveCameraWithHealthAndMetricsAndCloseItsSessionWhenStopped(KafkaBroker kafka) throws Exception {
        Path log = work.resolve("ingest.log");
        String url = "http://127.0.0.1:" + Tools.freePort() + "/front.ts";
        int metricsPort = Tools.freePort();
        Topics topics = TestTopics.create(kafka, "launcher-ingest", 1);
        String prefix = TestTopics.prefix(topics);
        HttpClient http = HttpClient.newHttpClient();

        try (ToolProcess camera = LivePattern.send(work.resolve("camera.log"), "-f", "mpegts", "-listen", "1", url)) {
            Process p = Launcher.start(
                    log,
                    "1g",
                    "ingest",
                    "--bootstrap-servers=" + kafka.bootstrapServers(),
                    "--topic-prefix=" + prefix,
                    "--camera=front=" + url,
                    "--metrics-port=" + Integer.toString(metricsPort));
            try (TopicWatch frames = new TopicWatch(kafka, topics.frames())) {
                frames.await("20 frames", Duration.ofMinutes(2), records -> records.size() >= 20);

                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body())
                        .contains("\"camera\":\"front\"", "\"mode\":\"live\"", "\"state\":\"streaming\"");
                assertThat(metrics.body())
                        .containsPattern("segstream_ingest_frames_published_total\\{camera=\"front\"} [1-9]");

                p.destroy();
                assertThat(p.waitFor(1, TimeUnit.MINUTES))
                        .as("stopped in time; output:%n%s", read(log))
                        .isTrue();
                assertThat(p.exitValue())
                        .as("ingest stopped by SIGTERM; output:%n%s", read(log))
                        .isZero();
                // wait for what the stopped process published (the watch did not poll while it stopped),
                // then a little more
                List<ConsumerRecord<String, byte[]>> all;
                try {
                    frames.await(
                            "the end-of-stream record",
                            Duration.ofSeconds(30),
                            records -> records.stream().anyMatch(r -> WireHeaders.isEndOfStream(r.headers())));
                    all = frames.pollFor(Duration.ofSeconds(1));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; ingest output:\n" + read(log), e);
                }
                ConsumerRecord<String, byte[]> last = all.get(all.size() - 1);
                assertThat(WireHeaders.isEndOfStream(last.headers()))
                        .as("the session ends with its end-of-stream record")
                        .isTrue();
                assertThat(WireHeaders.readEndOfStream(last.headers()).frameCount())
                        .isEqualTo(all.size() - 1);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    @ExtendWith(RealKafka.class)
    void shouldGiveEveryFrameOneResultWhenASegmenterProcessIsKilled(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "launcher-kill", 4);
        String prefix = TestTopics.prefix(topics);
        String group = prefix + Groups.SEGMENTER;
        int frames = 24;
        List<CameraSpec> cameras = new java.util.ArrayList<>();
        for (String id : List.of("cam-a", "cam-b", "cam-c", "cam-d")) {
            cameras.add(CameraSpec.of(
                    id,
                    Clips.write(work.resolve(id + ".mp4"), frames, 320, 192, avcodec.AV_CODEC_ID_H264)
                            .toString()));
        }
        Process doomed = segmenter(kafka, prefix, group, "doomed");
        Process survivor = segmenter(kafka, prefix, group, "survivor");
        try (SinkService sink = new SinkService(TestSinks.config(kafka, topics, work.resolve("state")));
                TopicWatch masks = new TopicWatch(kafka, topics.masks());
                Ingest ingest = new Ingest(
                        IngestConfig.defaults(kafka.bootstrapServers(), topics).withMaxInFlight(8, List.of(group)),
                        IngestMetrics.inMemory())) {
            sink.start();
            List<java.util.concurrent.CompletableFuture<IngestResult>> results =
                    cameras.stream().map(ingest::start).toList();
            try {
                masks.await("20 masks", Duration.ofMinutes(3), all -> all.size() >= 20);
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + "; segmenter output:\n" + read(work.resolve("doomed.log")), e);
            }

            doomed.destroyForcibly();
            assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();

            java.util.concurrent.CompletableFuture.allOf(results.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(3, TimeUnit.MINUTES);
            java.util.Set<java.util.UUID> sessions = results.stream()
                    .flatMap(r -> r.join().sessions().stream())
                    .collect(java.util.stream.Collectors.toSet());
            Map<String, List<com.fasterxml.jackson.databind.JsonNode>> stats =
                    ScaleOutIntegrationTest.frameStatsUntilEnded(kafka, topics, sessions);

            assertThat(stats.keySet()).containsExactlyInAnyOrder("cam-a", "cam-b", "cam-c", "cam-d");
            stats.forEach((camera, lines) -> assertThat(lines)
                    .as(camera)
                    .extracting(st -> st.get("sequence").asLong())
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, frames).boxed().toList()));
        } finally {
            doomed.destroyForcibly();
            survivor.destroy();
            survivor.waitFor(1, TimeUnit.MINUTES);
        }
        assertThat(survivor.exitValue())
                .as("the survivor stops cleanly on SIGTERM; output:%n%s", read(work.resolve("survivor.log")))
                .isZero();
    }

    @Test
    @ExtendWith(RealKafka.class)
    void shouldKeepEveryFrameOnceWhenASinkProcessIsKilledAndStartedAgain(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "launcher-sink", 1);
        String prefix = TestTopics.prefix(topics);
        String group = prefix + Groups.SEGMENTER;
        Path out = work.resolve("out");
        int port = Tools.freePort();
        Path clip = Assets.require(Assets.DRIVING_CLIP);
        Process first = sink(kafka, prefix, out, port, "sink-1");
        Process second = null;
        try (io.segstream.segmenter.model.SegmentationModel model = new io.segstream.segmenter.model.ModelLoader(
                                work.resolve("cache"), io.segstream.segmenter.model.DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL));
                io.segstream.segmenter.worker.SegmenterWorker segmenter =
                        new io.segstream.segmenter.worker.SegmenterWorker(
                                io.segstream.segmenter.worker.SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                                        .withGroup(group)
                                        .withBatch(2, Duration.ofMillis(20)),
                                model);
                TopicWatch stats = new TopicWatch(kafka, topics.frameStats());
                Ingest ingest = new Ingest(
                        IngestConfig.defaults(kafka.bootstrapServers(), topics).withSegmenterGroup(group),
                        IngestMetrics.inMemory())) {
            new Thread(segmenter, "segmenter").start();
            java.util.concurrent.CompletableFuture<IngestResult> result =
                    ingest.start(CameraSpec.of("clip", clip.toString()));
            try {
                stats.await("10 frame statistics", Duration.ofMinutes(3), all -> all.size() >= 10);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; sink output:\n" + read(work.resolve("sink-1.log")), e);
            }
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"state\":\"RUNNING\"");

            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            second = sink(kafka, prefix, out, port, "sink-2");

            java.util.Set<java.util.UUID> sessions =
                    java.util.Set.copyOf(result.get(3, TimeUnit.MINUTES).sessions());
            Map<String, List<com.fasterxml.jackson.databind.JsonNode>> published =
                    ScaleOutIntegrationTest.frameStatsUntilEnded(kafka, topics, sessions);
            assertThat(published.get("clip"))
                    .as("frame-stats across the kill")
                    .extracting(st -> st.get("sequence").asLong())
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, 38).boxed().toList());
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(1, TimeUnit.MINUTES);
            }
        }
        assertThat(second.exitValue())
                .as("the second sink stops cleanly on SIGTERM; output:%n%s", read(work.resolve("sink-2.log")))
                .isZero();
        List<String> lines = Files.readAllLines(out.resolve("clip").resolve("stats.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines)
                .as(
                        "stats.jsonl; first sink:%n%s%nsecond sink:%n%s",
                        read(work.resolve("sink-1.log")), read(work.resolve("sink-2.log")))
                .extracting(l -> Long.parseLong(l.replaceAll(".*\"sequence\":(\\d+).*", "$1")))
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, 38).boxed().toList());
        assertThat(Clips.frameCount(out.resolve("clip").resolve("overlay.mp4")))
                .as("overlay frames; sink output:%n%s", read(work.resolve("sink-2.log")))
                .isEqualTo(38);
        Matcher resumed =
                Pattern.compile("overlay of session \\S+ from frame (\\d+)").matcher(read(work.resolve("sink-2.log")));
        assertThat(resumed.find()).as("the second sink took the session up").isTrue();
        assertThat(Integer.parseInt(resumed.group(1)))
                .as("frame the second sink took the session up at")
                .isBetween(1, 37);
    }

    private Process sink(KafkaBroker kafka, String prefix, Path out, int port, String name) throws IOException {
        return Launcher.start(
                work.resolve(name + ".log"),
                "1g",
                Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                "sink",
                "--topic-prefix=" + prefix,
                "--application-id=" + prefix + "sink",
                "--state-dir=" + work.resolve("sink-state").toString(),
                "--output-dir=" + out.toString(),
                "--metrics-port=" + Integer.toString(port),
                "--kafka-property=session.timeout.ms=6000",
                "--kafka-property=heartbeat.interval.ms=1000");
    }

    private Process segmenter(KafkaBroker kafka, String prefix, String group, String name) throws IOException {
        return Launcher.start(
                work.resolve(name + ".log"),
                "1g",
                "segment",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix,
                "--group=" + group,
                "--model=" + Assets.require(Assets.SAVED_MODEL).toString(),
                "--model-cache=" + work.resolve("cache").toString(),
                "--device=cpu",
                "--batch-size=2",
                "--metrics-port=0",
                "--kafka-property=session.timeout.ms=6000",
                "--kafka-property=heartbeat.interval.ms=1000");
    }

    private static int framesDone(String output) {
        Matcher m = Pattern.compile("progress: front (\\d+) frames").matcher(output);
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static String read(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(System.lineSeparator(), lines);
    }
}
