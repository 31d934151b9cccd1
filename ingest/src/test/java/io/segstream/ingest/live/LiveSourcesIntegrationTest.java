package io.segstream.ingest.live;

import static io.segstream.ingest.LiveFrames.atLeast;
import static io.segstream.ingest.LiveFrames.bySession;
import static io.segstream.ingest.LiveFrames.frames;
import static io.segstream.ingest.LiveFrames.sessionsWithFrames;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.ingest.source.SourceKind;
import io.segstream.ingest.source.SourceSpec;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LivePattern;
import io.segstream.testkit.PacedTsServer;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.ToolProcess;
import io.segstream.testkit.Tools;
import io.segstream.testkit.TopicWatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live sources served by real local servers on 127.0.0.1: Debian's ffmpeg (HTTP with -listen 1,
 * UDP, SRT, RTSP pushed to our listening grabber over TCP, HLS), rtsp-server-perl as an RTSP relay
 * over UDP, and a paced HTTP server that can stall.
 */
@KafkaIntegrationTest
class LiveSourcesIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private static IngestConfig config(KafkaBroker kafka, Topics topics) {
        return IngestConfig.defaults(kafka.bootstrapServers(), topics)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    private static CameraSpec live(String id, String url, Map<String, String> options) {
        return new CameraSpec(
                id,
                SourceSpec.of(url, options),
                true,
                OptionalDouble.empty(),
                Optional.empty(),
                ImageEncoding.JPEG,
                80,
                Optional.empty());
    }

    /** Every frame of the camera at the test pattern's full width (not downscaled). */
    private static void assertFullWidth(List<ConsumerRecord<String, byte[]>> records, String camera) {
        assertThat(frames(records, camera)).extracting(FrameMeta::width).containsOnly(LivePattern.WIDTH);
    }

    private static void assertOneCleanSession(List<ConsumerRecord<String, byte[]>> records, String camera, int n) {
        List<FrameMeta> frames = frames(records, camera);
        assertThat(frames)
                .extracting(FrameMeta::session)
                .containsOnly(frames.get(0).session());
        assertThat(frames.subList(0, n))
                .extracting(FrameMeta::sequence)
                .containsExactlyElementsOf(LongStream.range(0, n).boxed().toList());
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(LivePattern.WIDTH);
            assertThat(f.height()).isEqualTo(LivePattern.HEIGHT);
            assertThat(f.encoding()).isEqualTo(ImageEncoding.JPEG);
            assertThat(f.lengthHint()).isEqualTo(-1);
            assertThat(f.live()).isTrue();
            assertThat(f.captureMicros()).isGreaterThan(0);
        });
        assertThat(frames.subList(0, n)).extracting(FrameMeta::ptsMicros).isSorted();
    }

    @Test
    void shouldPublishAnHttpMpegTsStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-http", 1);
        int port = Tools.freePort();
        String url = "http://127.0.0.1:" + port + "/live.ts";
        try (ToolProcess camera = LivePattern.send(dir.resolve("ffmpeg.log"), "-f", "mpegts", "-listen", "1", url);
                Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("http-cam", url).withEncoding(ImageEncoding.JPEG, 80));

            List<ConsumerRecord<String, byte[]>> records = watch.await("20 frames", WAIT, atLeast("http-cam", 20));

            assertOneCleanSession(records, "http-cam", 20);
            assertThat(records).allSatisfy(r -> assertThat(r.value()).startsWith(0xFF, 0xD8));
            assertThat(ingest.status()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(CameraStatus.State.STREAMING);
                assertThat(s.healthy()).isTrue();
            });
        }
    }

    @Test
    void shouldPublishNoMoreThanTheLiveAheadBoundBeyondWhatTheSegmentersCommitted(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-ahead", 1);
        String group = topics.frames() + ".segmenters";
        int port = Tools.freePort();
        String url = "http://127.0.0.1:" + port + "/live.ts";
        IngestMetrics metrics = IngestMetrics.inMemory();
        try (ToolProcess camera = LivePattern.send(dir.resolve("ffmpeg.log"), "-f", "mpegts", "-listen", "1", url);
                Ingest ingest = new Ingest(
                        config(kafka, topics)
                                .withMaxInFlight(64, List.of(group))
                                .withLiveAhead(3),
                        metrics);
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("ahead-cam", url).withEncoding(ImageEncoding.JPEG, 80));

            // no segmenter has committed anything: 3 frames go out, the camera's next ones are dropped
            watch.await("3 frames", WAIT, atLeast("ahead-cam", 3));
            List<ConsumerRecord<String, byte[]>> held = watch.pollFor(Duration.ofSeconds(3));
            assertThat(frames(held, "ahead-cam"))
                    .as("frames published while nothing was segmented")
                    .hasSize(3);
            assertThat(metrics.camera("ahead-cam").droppedAheadCount())
                    .as("frames dropped at the camera")
                    .isGreaterThan(10);
            // held back for over a second, the camera decodes only its key frames (one a second here)
            long decodedBefore = metrics.camera("ahead-cam").decodedCount();
            assertThat(frames(watch.pollFor(Duration.ofSeconds(2)), "ahead-cam"))
                    .as("frames published while still held")
                    .hasSize(3);
            assertThat(metrics.camera("ahead-cam").decodedCount() - decodedBefore)
                    .as("frames decoded in 2 s of a 10 fps camera with a key frame a second")
                    .isBetween(1L, 4L);
            assertThat(metrics.camera("ahead-cam").undecodedCount())
                    .as("frames between key frames dropped undecoded, counted")
                    .isGreaterThanOrEqualTo(10);

            // the segmenters commit past them: the camera publishes again, in sequence, without a gap
            try (KafkaConsumer<byte[], byte[]> segmenters = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG,
                            group),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                segmenters.commitSync(Map.of(new TopicPartition(topics.frames(), 0), new OffsetAndMetadata(3)));
            }
            List<ConsumerRecord<String, byte[]>> more = watch.await("3 more frames", WAIT, atLeast("ahead-cam", 6));
            assertOneCleanSession(more, "ahead-cam", 6);
            assertThat(frames(watch.pollFor(Duration.ofSeconds(2)), "ahead-cam"))
                    .as("no more than 3 ahead again")
                    .hasSize(6);
        }
    }

    @Test
    void shouldPublishAUdpMpegTsStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-udp", 1);
        int port = Tools.freePort();
        try (Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("udp-cam", "udp://127.0.0.1:" + port));
            try (ToolProcess camera = LivePattern.send(
                    dir.resolve("ffmpeg.log"), "-f", "mpegts", "udp://127.0.0.1:" + port + "?pkt_size=1316")) {
                List<ConsumerRecord<String, byte[]>> records = watch.await("15 frames", WAIT, atLeast("udp-cam", 15));

                assertFullWidth(records, "udp-cam");
                assertThat(bySession(records, "udp-cam")
                                .values()
                                .iterator()
                                .next()
                                .subList(0, 10))
                        .extracting(FrameMeta::sequence)
                        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            }
        }
    }

    @Test
    void shouldPublishAnRtpMpegTsStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-rtp", 1);
        int port = Tools.freePort() & ~1;
        try (Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("rtp-cam", "rtp://127.0.0.1:" + port));
            try (ToolProcess camera =
                    LivePattern.send(dir.resolve("ffmpeg.log"), "-f", "rtp_mpegts", "rtp://127.0.0.1:" + port)) {
                List<ConsumerRecord<String, byte[]>> records = watch.await("15 frames", WAIT, atLeast("rtp-cam", 15));

                assertFullWidth(records, "rtp-cam");
            }
        }
    }

    @Test
    void shouldPublishAnSrtStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-srt", 1);
        int port = Tools.freePort();
        try (ToolProcess camera = LivePattern.send(
                        dir.resolve("ffmpeg.log"), "-f", "mpegts", "srt://127.0.0.1:" + port + "?mode=listener");
                Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("srt-cam", "srt://127.0.0.1:" + port + "?mode=caller"));

            List<ConsumerRecord<String, byte[]>> records = watch.await("15 frames", WAIT, atLeast("srt-cam", 15));

            assertOneCleanSession(records, "srt-cam", 15);
        }
    }

    @Test
    void shouldPublishAnRtspStreamOverTcpPushedToTheListeningGrabber(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-rtsp-tcp", 1);
        int port = Tools.freePort();
        String url = "rtsp://127.0.0.1:" + port + "/cam";
        try (Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(live("rtsp-tcp-cam", url, Map.of("rtsp_flags", "listen", "rtsp_transport", "tcp")));
            Eventually.awaitListening(port, WAIT);
            try (ToolProcess camera =
                    LivePattern.send(dir.resolve("ffmpeg.log"), "-rtsp_transport", "tcp", "-f", "rtsp", url)) {
                List<ConsumerRecord<String, byte[]>> records =
                        watch.await("15 frames", WAIT, atLeast("rtsp-tcp-cam", 15));

                assertOneCleanSession(records, "rtsp-tcp-cam", 15);
            }
        }
    }

    @Test
    void shouldPublishAnRtspStreamOverUdpThroughARelay(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-rtsp-udp", 1);
        int clientPort = Tools.freePort();
        int sourcePort = Tools.freePort();
        int rtpPort = 30000 + (int) (ProcessHandle.current().pid() % 2000) * 10;
        try (ToolProcess relay = ToolProcess.start(
                dir.resolve("relay.log"),
                Tools.rtspServer().toString(),
                "--clientport",
                Integer.toString(clientPort),
                "--serverport",
                Integer.toString(sourcePort),
                "--client_listen_address",
                "127.0.0.1",
                "--source_listen_address",
                "127.0.0.1",
                "--rtp_start_port",
                Integer.toString(rtpPort))) {
            Eventually.awaitListening(sourcePort, WAIT);
            Eventually.awaitListening(clientPort, WAIT);
            try (ToolProcess camera = LivePattern.send(
                            dir.resolve("ffmpeg.log"), "-f", "rtsp", "rtsp://127.0.0.1:" + sourcePort + "/cam");
                    Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                    TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
                // opened before the camera's stream reached the relay, the source fails and ingest tries again
                ingest.start(live(
                        "rtsp-udp-cam", "rtsp://127.0.0.1:" + clientPort + "/cam", Map.of("rtsp_transport", "udp")));

                List<ConsumerRecord<String, byte[]>> records =
                        watch.await("15 frames", WAIT, atLeast("rtsp-udp-cam", 15));

                assertFullWidth(records, "rtsp-udp-cam");
            }
        }
    }

    @Test
    void shouldPublishAnHlsStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-hls", 1);
        Path hls = java.nio.file.Files.createDirectories(dir.resolve("hls"));
        HttpServer server = fileServer(hls);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.m3u8";
        assertThat(SourceSpec.of(url).kind()).isEqualTo(SourceKind.HLS);
        try (ToolProcess camera = LivePattern.send(
                        dir.resolve("ffmpeg.log"),
                        "-f",
                        "hls",
                        "-hls_time",
                        "1",
                        "-hls_list_size",
                        "5",
                        "-hls_flags",
                        "delete_segments",
                        hls.resolve("live.m3u8").toString());
                Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            Eventually.await("the playlist with a segment", WAIT, () -> playlistHasSegment(hls.resolve("live.m3u8")));
            ingest.start(CameraSpec.of("hls-cam", url));

            List<ConsumerRecord<String, byte[]>> records = watch.await("15 frames", WAIT, atLeast("hls-cam", 15));

            assertOneCleanSession(records, "hls-cam", 15);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldPlayAFileInLiveModeInRealTimeOverAndOverAsASimulatedCamera(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-file", 1);
        Path clip = io.segstream.testkit.Clips.write(
                dir.resolve("loop.mp4"), 10, 96, 64, org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264);
        try (Ingest ingest = new Ingest(config(kafka, topics), IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("sim", clip.toString()).withLive(true));

            List<ConsumerRecord<String, byte[]>> records =
                    watch.await("two plays of the file", WAIT, sessionsWithFrames("sim", 2, 10));

            List<List<FrameMeta>> plays = List.copyOf(bySession(records, "sim").values());
            assertThat(plays.get(0)).hasSize(10);
            long playedMicros =
                    plays.get(0).get(9).captureMicros() - plays.get(0).get(0).captureMicros();
            assertThat(playedMicros)
                    .as("9 frame intervals at 10 fps, in real time")
                    .isBetween(800_000L, 1_500_000L);
        }
    }

    @Test
    void shouldReconnectByItselfWithANewSessionWhenTheCameraIsKilledAndComesBack(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-reconnect", 1);
        int port = Tools.freePort();
        String url = "http://127.0.0.1:" + port + "/live.ts";
        IngestMetrics metrics = IngestMetrics.inMemory();
        try (Ingest ingest = new Ingest(config(kafka, topics), metrics);
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ToolProcess first = LivePattern.send(dir.resolve("first.log"), "-f", "mpegts", "-listen", "1", url);
            ingest.start(CameraSpec.of("cam", url));
            watch.await("10 frames of the first connection", WAIT, atLeast("cam", 10));

            first.kill();
            Eventually.await(
                    "ingest noticing the camera gone",
                    WAIT,
                    () -> metrics.camera("cam").reconnectCount() >= 1);
            try (ToolProcess second =
                    LivePattern.send(dir.resolve("second.log"), "-f", "mpegts", "-listen", "1", url)) {
                List<ConsumerRecord<String, byte[]>> records =
                        watch.await("10 frames of a second session", WAIT, sessionsWithFrames("cam", 2, 10));

                Map<UUID, List<FrameMeta>> sessions = bySession(records, "cam");
                assertThat(sessions).hasSize(2);
                sessions.values()
                        .forEach(frames -> assertThat(frames.subList(0, 10))
                                .extracting(FrameMeta::sequence)
                                .containsExactlyElementsOf(
                                        LongStream.range(0, 10).boxed().toList()));
                UUID firstSession = sessions.keySet().iterator().next();
                assertThat(records)
                        .filteredOn(r -> WireHeaders.isEndOfStream(r.headers()))
                        .extracting(
                                r -> WireHeaders.readEndOfStream(r.headers()).session())
                        .contains(firstSession);
                assertThat(metrics.camera("cam").reconnectCount()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void shouldRestartAStalledSourceWithinTheStallTimeoutAndLeaveNoThreadBlocked(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "live-stall", 1);
        Path ts = LivePattern.writeTs(dir.resolve("pattern.ts"), 20);
        // the watchdog's stall timeout is shorter than FFmpeg's I/O timeout: it must not wait for FFmpeg
        IngestConfig config = config(kafka, topics).withTimeouts(Duration.ofSeconds(4), Duration.ofMillis(1500));
        try (PacedTsServer server = new PacedTsServer(ts, 20);
                Ingest ingest = new Ingest(config, IngestMetrics.inMemory());
                TopicWatch watch = new TopicWatch(kafka, topics.frames())) {
            ingest.start(CameraSpec.of("stall-cam", server.url()));
            watch.await("10 frames", WAIT, atLeast("stall-cam", 10));
            assertThat(server.accepted()).isEqualTo(1);

            server.stallOpenConnections();
            long stalledAt = System.nanoTime();
            Eventually.await("a second connection after the stall", WAIT, () -> server.accepted() >= 2);
            Duration restartedAfter = Duration.ofNanos(System.nanoTime() - stalledAt);

            assertThat(server.accepted()).as("connections after the stall").isEqualTo(2);
            // the time is the behaviour: the watchdog restarts after its 1.5 s, before FFmpeg's 4 s I/O timeout
            assertThat(restartedAfter)
                    .as("time to restart")
                    .isLessThan(config.stallTimeout().plusSeconds(2));
            watch.await("frames of a second session", WAIT, sessionsWithFrames("stall-cam", 2, 5));
            Eventually.await(
                    "the stalled reader ending once FFmpeg's I/O timeout has passed",
                    config.ioTimeout().plusSeconds(5),
                    () -> readerThreads("stall-cam").size() == 1);
            assertThat(readerThreads("stall-cam"))
                    .as("reader threads alive once FFmpeg's I/O timeout has passed")
                    .containsExactly("ingest-stall-cam-reader-2");
        }
    }

    /** A real HTTP server on 127.0.0.1 serving the files of {@code root}. */
    private static HttpServer fileServer(Path root) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            try (exchange) {
                if (!file.startsWith(root) || !java.nio.file.Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = java.nio.file.Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private static List<String> readerThreads(String camera) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("ingest-" + camera + "-reader-"))
                .sorted()
                .toList();
    }

    private static boolean playlistHasSegment(Path playlist) {
        try {
            return Files.exists(playlist)
                    && Files.readAllLines(playlist).stream().anyMatch(l -> l.endsWith(".ts"));
        } catch (IOException e) {
            return false; // being written: asked again
        }
    }
}
