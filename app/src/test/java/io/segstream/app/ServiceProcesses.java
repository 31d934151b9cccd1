package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.Topics;
import io.segstream.runtime.Partitions;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The services of the README's multi-process setup ({@code segstream kafka}, {@code ingest},
 * {@code segment}, {@code sink}), each a process of its own through the launcher with its output in
 * {@code work/<name>.log}; {@link #close()} stops them all.
 */
final class ServiceProcesses implements AutoCloseable {

    private final Path work;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    ServiceProcesses(Path work) {
        this.work = work;
    }

    /** Starts {@code segstream args...} as {@code name} (a name used again replaces the process it had). */
    Process start(String name, String... args) throws IOException {
        Process p = Launcher.start(work.resolve(name + ".log"), "1g", args);
        Process before = processes.put(name, p);
        if (before != null) {
            processes.put(name + "@" + before.pid(), before);
        }
        return p;
    }

    /**
     * Starts the services of the README's multi-process setup against {@code bootstrap}: {@code sink}
     * writing to {@code out}, {@code segment} with the saved model on the CPU, and {@code ingest} of
     * the recorded {@code clip} as camera {@code drive} at {@code maxSize}; {@code extra} options go
     * to all three. Returns ingest's process.
     */
    Process startPipeline(String bootstrap, Path out, Path clip, String maxSize, String... extra) throws IOException {
        start(
                "sink",
                with(
                        extra,
                        "sink",
                        "--bootstrap-servers=" + bootstrap,
                        "--output-dir=" + out,
                        "--state-dir=" + work.resolve("sink-state"),
                        "--metrics-port=0",
                        "--view-port=0"));
        start(
                "segment",
                with(
                        extra,
                        "segment",
                        "--bootstrap-servers=" + bootstrap,
                        "--model=" + Assets.require(Assets.SAVED_MODEL),
                        "--model-cache=" + work.resolve("cache"),
                        "--device=cpu",
                        "--metrics-port=0"));
        return start(
                "ingest",
                with(
                        extra,
                        "ingest",
                        "--bootstrap-servers=" + bootstrap,
                        "--camera=drive=" + clip,
                        "--max-size=" + maxSize,
                        "--metrics-port=0"));
    }

    private static String[] with(String[] extra, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    /** The cluster the processes run against, as the test helpers take it. */
    static KafkaBroker broker(String bootstrap, String backend) {
        return new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrap;
            }

            @Override
            public String backend() {
                return backend;
            }
        };
    }

    /** The process started as {@code name}. */
    Process process(String name) {
        return processes.get(name);
    }

    /** A path in the work directory. */
    Path path(String name) {
        return work.resolve(name);
    }

    String log(String name) {
        Path f = work.resolve(name + ".log");
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    void awaitLog(String name, String line, Duration timeout) throws Exception {
        Eventually.await(
                "'" + line + "' in " + name + "'s output",
                timeout,
                Duration.ofMillis(200),
                () -> log(name).contains(line),
                () -> log(name));
    }

    /**
     * Waits until frame-stats' committed offsets (records and transaction markers, summed over
     * partitions) reach {@code count}; returns them.
     */
    long awaitFrameStats(String bootstrap, long count, Duration timeout) throws Exception {
        AtomicLong n = new AtomicLong();
        Eventually.await(
                "frame-stats offset " + count,
                timeout,
                Duration.ofMillis(500),
                () -> {
                    n.set(committedFrameStats(bootstrap));
                    return n.get() >= count;
                },
                () -> n.get() + " so far; sink:\n" + log("sink") + "\nsegment:\n" + log("segment"));
        return n.get();
    }

    /** Frame-stats' committed offsets, summed over its partitions; -1 while no broker answers. */
    static long committedFrameStats(String bootstrap) {
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

    /** The driving clip played {@code loops} times: a recorded input of a few hundred frames. */
    static Path loopedClip(Path work, int loops) throws Exception {
        Path clip = work.resolve("drive.mp4");
        Tools.runFfmpeg(
                "-stream_loop {} -i {} -an -c:v libx264 -preset ultrafast {}",
                loops - 1,
                Assets.require(Assets.DRIVING_CLIP),
                clip);
        assertThat(Clips.frameCount(clip)).as("frames of the looped clip").isEqualTo(38 * loops);
        return clip;
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(processes.values());
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
