package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segstream.protocol.Partitions;
import io.segstream.protocol.Topics;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four-process setup of the README: {@code segstream kafka}, {@code ingest}, {@code segment}
 * and {@code sink}, each a process of its own through the launcher. The broker is killed with
 * SIGKILL mid-input and started again on the same data: every service recovers by itself and every
 * frame is in frame-stats, stats.jsonl and overlay.mp4 exactly once.
 */
@IntegrationTest
class BrokerRestartIT {

    private static final int LOOPS = 8;
    private static final int FRAMES = 38 * LOOPS;

    @TempDir
    Path work;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void shouldRecoverEveryServiceAndLoseNoFrameWhenTheBrokerIsKilled() throws Exception {
        Path clip = loopedClip();
        int port = Tools.freePort();
        int controllerPort = Tools.freePort();
        String bootstrap = "127.0.0.1:" + port;
        KafkaBroker kafka = new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrap;
            }

            @Override
            public String backend() {
                return "segstream kafka";
            }
        };
        Path data = work.resolve("kafka-data");
        Path out = work.resolve("out");
        try {
            Process broker = broker(data, port, controllerPort, "kafka-1");
            awaitLog("kafka-1", "segstream kafka: ready at " + bootstrap, Duration.ofSeconds(90));
            start(
                    "sink",
                    "sink",
                    "--bootstrap-servers=" + bootstrap,
                    "--output-dir=" + out.toString(),
                    "--state-dir=" + work.resolve("sink-state").toString(),
                    "--metrics-port=0",
                    "--view-port=0");
            start(
                    "segment",
                    "segment",
                    "--bootstrap-servers=" + bootstrap,
                    "--model=" + Assets.require(Assets.SAVED_MODEL).toString(),
                    "--model-cache=" + work.resolve("cache").toString(),
                    "--device=cpu",
                    "--metrics-port=0");
            Process ingest = start(
                    "ingest",
                    "ingest",
                    "--bootstrap-servers=" + bootstrap,
                    "--camera=drive=" + clip,
                    "--max-size=640x360",
                    "--metrics-port=0");

            long before = awaitFrameStats(bootstrap, 60, Duration.ofMinutes(4));
            broker.destroyForcibly();
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // the broker stays down a while: the services must ride out an outage, not a blip
            Thread.sleep(3000);
            long restarted = System.nanoTime();
            broker(data, port, controllerPort, "kafka-2");
            awaitLog("kafka-2", "segstream kafka: ready at " + bootstrap, Duration.ofSeconds(90));
            long ready = System.nanoTime();
            awaitFrameStats(bootstrap, before + 1, Duration.ofMinutes(3));
            long resumed = System.nanoTime();
            System.out.printf(
                    "broker killed at frame-stats offset %d; restarted and ready in %.1f s; frame-stats committed "
                            + "again %.1f s after it was ready%n",
                    before, (ready - restarted) / 1e9, (resumed - ready) / 1e9);

            assertThat(ingest.waitFor(4, TimeUnit.MINUTES))
                    .as("ingest finished; output:%n%s", log("ingest"))
                    .isTrue();
            assertThat(ingest.exitValue())
                    .as("ingest's exit code; output:%n%s", log("ingest"))
                    .isZero();
            Matcher session = Pattern.compile("session ([0-9a-f-]{36})").matcher(log("ingest"));
            assertThat(session.find()).as("the input's session in ingest's log").isTrue();
            Map<String, List<JsonNode>> published = ScaleOutIntegrationTest.frameStatsUntilEnded(
                    kafka, Topics.withPrefix(""), Set.of(UUID.fromString(session.group(1))));
            List<Long> expected = LongStream.range(0, FRAMES).boxed().toList();
            assertThat(published.get("drive"))
                    .as("frame-stats, read committed")
                    .extracting(s -> s.get("sequence").asLong())
                    .containsExactlyElementsOf(expected);
            Path stats = out.resolve("drive").resolve("stats.jsonl"); // finished before the end-of-stream went out
            assertThat(Files.readAllLines(stats, StandardCharsets.UTF_8))
                    .as("stats.jsonl")
                    .extracting(l -> Long.parseLong(l.replaceAll(".*\"sequence\":(\\d+).*", "$1")))
                    .containsExactlyElementsOf(expected);
            assertThat(Clips.frameCount(out.resolve("drive").resolve("overlay.mp4")))
                    .as("overlay frames")
                    .isEqualTo(FRAMES);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The driving clip played {@value #LOOPS} times: a recorded input of a few hundred frames. */
    private Path loopedClip() throws Exception {
        Path clip = work.resolve("drive.mp4");
        Tools.runFfmpeg(
                "-stream_loop {} -i {} -an -c:v libx264 -preset ultrafast {}",
                LOOPS - 1,
                Assets.require(Assets.DRIVING_CLIP),
                clip);
        assertThat(Clips.frameCount(clip)).as("frames of the looped clip").isEqualTo(FRAMES);
        return clip;
    }

    private Process broker(Path data, int port, int controllerPort, String name) throws IOException {
        return start(
                name,
                "kafka",
                "--data-dir=" + data.toString(),
                "--port=" + Integer.toString(port),
                "--controller-port=" + Integer.toString(controllerPort));
    }

    private Process start(String name, String... args) throws IOException {
        Process p = Launcher.start(work.resolve(name + ".log"), "1g", args);
        processes.add(p);
        return p;
    }

    private String log(String name) throws IOException {
        Path f = work.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    private void awaitLog(String name, String line, Duration timeout) throws Exception {
        Eventually.await(
                "'" + line + "' in " + name + "'s output",
                timeout,
                Duration.ofMillis(200),
                () -> log(name).contains(line),
                () -> quiet(() -> log(name)));
    }

    /**
     * Waits until frame-stats' committed offsets (records and transaction markers, summed over
     * partitions) reach {@code count}; returns them.
     */
    private long awaitFrameStats(String bootstrap, long count, Duration timeout) throws Exception {
        AtomicLong n = new AtomicLong();
        Eventually.await(
                "frame-stats offset " + count,
                timeout,
                Duration.ofMillis(500),
                () -> {
                    n.set(committedFrameStats(bootstrap));
                    return n.get() >= count;
                },
                () -> n.get() + " so far; sink:\n" + quiet(() -> log("sink")) + "\nsegment:\n"
                        + quiet(() -> log("segment")));
        return n.get();
    }

    private interface Text {
        String get() throws IOException;
    }

    private static String quiet(Text text) {
        try {
            return text.get();
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static long committedFrameStats(String bootstrap) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000",
                        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = Partitions.of(c, Topics.withPrefix("").frameStats());
            long n = 0;
            for (Map.Entry<TopicPartition, Long> e : c.endOffsets(parts).entrySet()) {
                n += e.getValue() - c.beginningOffsets(List.of(e.getKey())).get(e.getKey());
            }
            return n;
        } catch (RuntimeException e) { // the broker is down or not ready yet
            return -1;
        }
    }
}
