package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.ingest.fleet.FramesTail;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LivePattern;
import io.segstream.testkit.TestTopics;
import io.segstream.testkit.ToolProcess;
import io.segstream.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.utils.Utils;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet as it is run: two ingest processes in one group share the cameras of the cameras topic
 * (two live RTSP cameras through local relays, two recorded clips), added with {@code segstream
 * cameras add}; one is killed (SIGKILL) mid-file and the other takes its cameras over, the recorded
 * input going on in its session so that every frame reaches frame-stats, stats.jsonl and the overlay
 * exactly once; a camera added to the running fleet is segmented without a restart, a removed one
 * ends; records no camera could be are refused in one line each while the others run on.
 */
@KafkaIntegrationTest
class FleetIntegrationTest {

    private static final int FRAMES = 250;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void shouldShareCamerasTakeOverADeadInstanceAndFollowTheTopic(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "fleet", 2);
        String prefix = TestTopics.prefix(topics);
        String bootstrap = kafka.bootstrapServers();
        // the cooperative assignor splits the 12 partitions 0-5 / 6-11 between the first instance and
        // the one that joins it: one recorded and one live camera in each half
        String recLow = idIn("rec-low", 0, 6);
        String recHigh = idIn("rec-high", 6, 12);
        String liveLow = idIn("live-low", 0, 6);
        String liveHigh = idIn("live-high", 6, 12);
        Path media = Files.createDirectories(work.resolve("media"));
        Path clipLow = Clips.write(media.resolve("low.mp4"), FRAMES, 320, 192, avcodec.AV_CODEC_ID_H264);
        Path clipHigh = Clips.write(media.resolve("high.mp4"), FRAMES, 320, 192, avcodec.AV_CODEC_ID_H264);
        Path late = Clips.write(media.resolve("late.mp4"), 20, 320, 192, avcodec.AV_CODEC_ID_H264);
        Path out = work.resolve("out");
        String[] cluster = {"--bootstrap-servers=" + bootstrap, "--topic-prefix=" + prefix};

        try (AutoCloseable relayLow = relay("low");
                AutoCloseable relayHigh = relay("high");
                SegmentationModel model = new ModelLoader(work.resolve("cache"), DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL));
                SinkService sink = new SinkService(SinkConfig.defaults(
                        bootstrap,
                        topics,
                        prefix + "sink",
                        Files.createDirectories(work.resolve("state")),
                        Optional.of(out)));
                ServiceProcesses ingest = new ServiceProcesses(work)) {
            sink.start();
            SegmenterWorker segmenter = new SegmenterWorker(
                    SegmenterConfig.defaults(bootstrap, topics)
                            .withGroup(prefix + Groups.SEGMENTER)
                            .withBatch(4, Duration.ofMillis(20)),
                    model);
            Thread segmenting = new Thread(segmenter, "segmenter");
            segmenting.start();
            try {
                String[] instance = {
                    "ingest",
                    "--bootstrap-servers=" + bootstrap,
                    "--topic-prefix=" + prefix,
                    "--media-root=" + media,
                    "--max-in-flight=8",
                    "--live-ahead=2",
                    "--fleet-session-timeout=" + SESSION_TIMEOUT,
                    "--metrics-port=0"
                };
                ingest.start("ingest-a", with(instance, "--instance=ingest-a"));
                ingest.awaitLog("ingest-a", "cameras partitions gained", WAIT);
                ingest.start("ingest-b", with(instance, "--instance=ingest-b"));
                ingest.awaitLog("ingest-a", "cameras partitions revoked", WAIT);
                ingest.awaitLog("ingest-b", "cameras partitions gained", WAIT);

                assertThat(cameras(cluster, "add", recLow, clipLow.toString())).isZero();
                assertThat(cameras(cluster, "add", recHigh, clipHigh.toString()))
                        .isZero();
                assertThat(cameras(cluster, "add", liveLow, relayUrl("low"), "rtsp-transport=udp"))
                        .isZero();
                assertThat(cameras(cluster, "add", liveHigh, relayUrl("high"), "rtsp-transport=udp"))
                        .isZero();
                assertThat(cameras(cluster, "add", "bad", "rtsp://x/a", "fps=0"))
                        .as("a bad camera is refused before it reaches the topic")
                        .isEqualTo(2);

                awaitStarted(ingest, "ingest-a", liveLow, recLow);
                awaitStarted(ingest, "ingest-b", liveHigh, recHigh);
                assertThat(started(ingest, "ingest-a")).doesNotContain(liveHigh, recHigh);
                assertThat(started(ingest, "ingest-b")).doesNotContain(liveLow, recLow);

                String listed = list(cluster);
                assertThat(rowOf(listed, liveHigh)).contains("live", "running", "ingest-b");
                assertThat(rowOf(listed, liveLow)).contains("live", "running", "ingest-a");

                // ingest-b dies mid-file, its live camera's session through the sink already
                Eventually.await(
                        liveHigh + "'s statistics from ingest-b",
                        WAIT,
                        Duration.ofMillis(200),
                        () -> frameStats(kafka, topics).containsKey(liveHigh),
                        () -> ingest.log("ingest-b"));
                try (FramesTail tail = new FramesTail(bootstrap, Map.of(), topics.frames())) {
                    Eventually.await(
                            recHigh + " a fifth of the way through",
                            WAIT,
                            Duration.ofMillis(100),
                            () -> tail.last(recHigh)
                                    .map(l -> l.sequence() >= FRAMES / 5)
                                    .orElse(false),
                            () -> ingest.log("ingest-b"));
                    assertThat(tail.last(recHigh).orElseThrow().ended()).isFalse();
                }
                Process b = ingest.process("ingest-b");
                long killed = System.nanoTime();
                b.destroyForcibly();
                assertThat(b.waitFor(10, TimeUnit.SECONDS)).isTrue();
                awaitStarted(ingest, "ingest-a", liveHigh, recHigh);
                Duration failover = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf(
                        "FLEET failover: the dead instance's cameras started on the other %d ms after SIGKILL"
                                + " (session timeout %d ms)%n",
                        failover.toMillis(), SESSION_TIMEOUT.toMillis());
                assertThat(failover).isLessThan(SESSION_TIMEOUT.plusSeconds(5));
                assertThat(ingest.log("ingest-a")).contains("taking over " + clipHigh);

                // both recorded inputs: every frame once, one session, in frame-stats and the files
                Map<String, List<JsonNode>> stats = frameStatsUntilEnded(kafka, topics, Set.of(recLow, recHigh));
                for (String camera : List.of(recLow, recHigh)) {
                    assertThat(stats.get(camera))
                            .as(camera + " frame-stats")
                            .extracting(s -> s.get("sequence").asLong())
                            .containsExactlyElementsOf(
                                    LongStream.range(0, FRAMES).boxed().toList());
                    assertThat(stats.get(camera).stream()
                                    .map(s -> s.get("session").asText())
                                    .distinct())
                            .as(camera + " sessions")
                            .hasSize(1);
                    Eventually.await(
                            camera + "'s summary",
                            WAIT,
                            () -> Files.exists(out.resolve(camera).resolve("summary.json")));
                    RunOutputs.assertFilesHoldEveryFrameOnce(out, camera, FRAMES);
                }

                listed = list(cluster);
                assertThat(rowOf(listed, recHigh)).contains("recorded", "ended", "ended, " + FRAMES + " frames");
                assertThat(rowOf(listed, liveHigh)).contains("running", "ingest-a");

                // a camera added to the running fleet
                long added = System.nanoTime();
                assertThat(cameras(cluster, "add", "late", late.toString())).isZero();
                Eventually.await(
                        "late's first frame statistics",
                        WAIT,
                        Duration.ofMillis(100),
                        () -> frameStats(kafka, topics).containsKey("late"),
                        () -> ingest.log("ingest-a"));
                System.out.printf(
                        "FLEET cameras add: first frame statistics %d ms after the command%n",
                        Duration.ofNanos(System.nanoTime() - added).toMillis());

                // a camera removed: its end of stream, then nothing
                assertThat(cameras(cluster, "remove", liveLow)).isZero();
                Eventually.await(
                        "the end of " + liveLow + "'s session", WAIT, () -> endedOnFrames(kafka, topics, liveLow));
                int after = framesOf(kafka, topics, liveLow);
                Thread.sleep(3_000);
                assertThat(framesOf(kafka, topics, liveLow))
                        .as("records of a removed camera")
                        .isEqualTo(after);

                // records no camera could be, straight from a foreign producer
                int liveBefore = framesOf(kafka, topics, liveHigh);
                try (KafkaProducer<String, byte[]> foreign = TestTopics.producer(kafka)) {
                    send(foreign, topics.cameras(), "bad-json", "{\"source\": ");
                    send(
                            foreign,
                            topics.cameras(),
                            "unknown-key",
                            "{\"source\": \"rtsp://127.0.0.1:1/a\", \"colour\": 1}");
                    send(foreign, topics.cameras(), "../../etc", "{\"source\": \"rtsp://127.0.0.1:1/a\"}");
                    send(foreign, topics.cameras(), "not-allowed", "{\"source\": \"/etc/passwd\"}");
                    assertThatThrownBy(() -> foreign.send(
                                            new ProducerRecord<>(topics.cameras(), "huge", new byte[10 << 20]))
                                    .get(30, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(RecordTooLargeException.class);
                }
                for (String line : List.of(
                        "camera bad-json (cameras partition",
                        "camera unknown-key (cameras partition",
                        "camera '../../etc' (cameras partition",
                        "camera not-allowed (cameras partition")) {
                    ingest.awaitLog("ingest-a", line, WAIT);
                    assertThat(ingest.log("ingest-a").lines().filter(l -> l.contains(line)))
                            .as(line)
                            .singleElement()
                            .asString()
                            .contains("not started");
                }
                assertThat(ingest.log("ingest-a")).contains("outside the media roots", "unknown key 'colour'");
                Eventually.await(
                        liveHigh + " still streaming", WAIT, () -> framesOf(kafka, topics, liveHigh) > liveBefore + 5);
                assertThat(ingest.process("ingest-a").isAlive()).isTrue();

                // the live camera that moved keeps one timeline: one rolling file, both sessions in it
                Path liveDir = out.resolve(liveHigh).resolve("live");
                Eventually.await(
                        "both sessions of " + liveHigh + " in its live file",
                        WAIT,
                        Duration.ofMillis(200),
                        () -> liveSessions(liveDir).size() >= 2,
                        () -> liveDir + ": " + liveSessions(liveDir));
                try (var files = Files.list(liveDir)) {
                    assertThat(files.filter(f -> f.toString().endsWith(".jsonl")))
                            .as("live files of " + liveHigh)
                            .hasSize(1);
                }
            } finally {
                segmenter.close();
                segmenting.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    /** An id starting with {@code base} whose record lands in a partition of the cameras topic in [from, to). */
    private static String idIn(String base, int from, int to) {
        for (int i = 0; ; i++) {
            String id = base + "-" + i;
            int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % Topics.CAMERA_PARTITIONS;
            if (p >= from && p < to) {
                return id;
            }
        }
    }

    private final Map<String, int[]> relayPorts = new HashMap<>();

    /** An RTSP relay (rtsp-server-perl) with the live pattern pushed to it: a camera any client can reach. */
    private AutoCloseable relay(String name) throws Exception {
        int client = Tools.freePort();
        int source = Tools.freePort();
        int rtp = 30000 + (int) (ProcessHandle.current().pid() % 1000) * 20 + (name.equals("low") ? 0 : 10);
        relayPorts.put(name, new int[] {client, source});
        ToolProcess relay = ToolProcess.start(
                work.resolve("relay-" + name + ".log"),
                Tools.rtspServer().toString(),
                "--clientport",
                Integer.toString(client),
                "--serverport",
                Integer.toString(source),
                "--client_listen_address",
                "127.0.0.1",
                "--source_listen_address",
                "127.0.0.1",
                "--rtp_start_port",
                Integer.toString(rtp));
        Eventually.awaitListening(source, WAIT);
        Eventually.awaitListening(client, WAIT);
        ToolProcess camera = LivePattern.send(
                work.resolve("camera-" + name + ".log"), "-f", "rtsp", "rtsp://127.0.0.1:" + source + "/cam");
        return () -> {
            camera.close();
            relay.close();
        };
    }

    private String relayUrl(String name) {
        return "rtsp://127.0.0.1:" + relayPorts.get(name)[0] + "/cam";
    }

    /** The sessions named by the lines of a live camera's rolling files. */
    private static Set<String> liveSessions(Path liveDir) {
        Set<String> sessions = new TreeSet<>();
        try (var files = Files.list(liveDir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                Files.readAllLines(f).stream()
                        .filter(l -> l.contains("\"session\":\""))
                        .map(l -> l.replaceAll(".*\"session\":\"([^\"]+)\".*", "$1"))
                        .forEach(sessions::add);
            }
        } catch (IOException e) {
            return Set.of(); // not written yet
        }
        return sessions;
    }

    /** What {@code segstream cameras list} prints. */
    private static String list(String[] cluster) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            assertThat(cameras(cluster, "list")).isZero();
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return text;
    }

    private static String rowOf(String listed, String camera) {
        return listed.lines()
                .filter(l -> l.startsWith(camera + " "))
                .findFirst()
                .orElse("(no row for " + camera + ")");
    }

    /** The cameras an instance's log says it started. */
    private static Set<String> started(ServiceProcesses ingest, String name) {
        return ingest.log(name)
                .lines()
                .filter(l -> l.contains("Cameras started here: ["))
                .flatMap(l -> List.of(l.substring(l.indexOf("here: [") + 7, l.lastIndexOf(']'))
                                .split(", "))
                        .stream())
                .collect(Collectors.toSet());
    }

    private static void awaitStarted(ServiceProcesses ingest, String name, String... cameras) throws Exception {
        Eventually.await(
                name + " running " + List.of(cameras),
                WAIT,
                Duration.ofMillis(100),
                () -> started(ingest, name).containsAll(List.of(cameras)),
                () -> ingest.log(name));
    }

    /** {@code segstream cameras args... --bootstrap-servers ... --topic-prefix ...}: its exit code. */
    private static int cameras(String[] cluster, String... args) {
        return Main.execute(with(with(new String[] {"cameras"}, args), cluster));
    }

    private static String[] with(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    /** Committed frame statistics by camera, end-of-stream records left out. */
    private static Map<String, List<JsonNode>> frameStats(KafkaBroker kafka, Topics topics) throws Exception {
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, topics.frameStats())) {
            if (!WireHeaders.isEndOfStream(r.headers())) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()));
            }
        }
        return out;
    }

    /** As {@link #frameStats}, once every camera of {@code cameras} has its end of stream there. */
    private static Map<String, List<JsonNode>> frameStatsUntilEnded(
            KafkaBroker kafka, Topics topics, Set<String> cameras) throws Exception {
        Eventually.await(
                "the end of " + cameras + " on frame-stats",
                WAIT,
                Duration.ofMillis(500),
                () -> TestTopics.readAll(kafka, topics.frameStats()).stream()
                        .filter(r -> WireHeaders.isEndOfStream(r.headers()))
                        .map(ConsumerRecord::key)
                        .collect(Collectors.toSet())
                        .containsAll(cameras),
                () -> "");
        return frameStats(kafka, topics);
    }

    private static int framesOf(KafkaBroker kafka, Topics topics, String camera) {
        return (int) TestTopics.readAll(kafka, topics.frames()).stream()
                .filter(r -> camera.equals(r.key()))
                .count();
    }

    private static boolean endedOnFrames(KafkaBroker kafka, Topics topics, String camera) {
        List<ConsumerRecord<String, byte[]>> own = TestTopics.readAll(kafka, topics.frames()).stream()
                .filter(r -> camera.equals(r.key()))
                .toList();
        return !own.isEmpty()
                && WireHeaders.isEndOfStream(own.get(own.size() - 1).headers());
    }
}
