package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segstream.protocol.Topics;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
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

    @Test
    void shouldRecoverEveryServiceAndLoseNoFrameWhenTheBrokerIsKilled() throws Exception {
        Path clip = ServiceProcesses.loopedClip(work, LOOPS);
        int port = Tools.freePort();
        int controllerPort = Tools.freePort();
        String bootstrap = "127.0.0.1:" + port;
        KafkaBroker kafka = ServiceProcesses.broker(bootstrap, "segstream kafka");
        Path data = work.resolve("kafka-data");
        Path out = work.resolve("out");
        try (ServiceProcesses services = new ServiceProcesses(work)) {
            Process broker = broker(services, data, port, controllerPort, "kafka-1");
            services.awaitLog("kafka-1", "segstream kafka: ready at " + bootstrap, Duration.ofSeconds(90));
            Process ingest = services.startPipeline(bootstrap, out, clip, "640x360");

            long before = services.awaitFrameStats(bootstrap, 60, Duration.ofMinutes(4));
            broker.destroyForcibly();
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ServiceProcesses.committedFrameStats(bootstrap))
                    .as("no broker answers once it is killed")
                    .isEqualTo(-1);
            // the broker stays down a while: the services must ride out an outage, not a blip
            Thread.sleep(3000);
            long restarted = System.nanoTime();
            broker(services, data, port, controllerPort, "kafka-2");
            services.awaitLog("kafka-2", "segstream kafka: ready at " + bootstrap, Duration.ofSeconds(90));
            long ready = System.nanoTime();
            services.awaitFrameStats(bootstrap, before + 1, Duration.ofMinutes(3));
            long resumed = System.nanoTime();
            System.out.printf(
                    "broker killed at frame-stats offset %d; restarted and ready in %.1f s; frame-stats committed "
                            + "again %.1f s after it was ready%n",
                    before, (ready - restarted) / 1e9, (resumed - ready) / 1e9);
            assertThat(before)
                    .as("the broker was killed mid-input: frame-stats offsets (records and markers) at the kill")
                    .isLessThan(FRAMES);
            assertThat(Duration.ofNanos(resumed - ready))
                    .as("frame-stats committed again after the broker was back (generous for a busy machine)")
                    .isLessThan(Duration.ofMinutes(2));

            assertThat(ingest.waitFor(4, TimeUnit.MINUTES))
                    .as("ingest finished; output:%n%s", services.log("ingest"))
                    .isTrue();
            assertThat(ingest.exitValue())
                    .as("ingest's exit code; output:%n%s", services.log("ingest"))
                    .isZero();
            assertEveryFrameOnce(kafka, services, out, FRAMES);
        }
    }

    /** Every frame of the ingested input once in frame-stats (read committed), stats.jsonl and the overlay. */
    static void assertEveryFrameOnce(KafkaBroker kafka, ServiceProcesses services, Path out, int frames)
            throws Exception {
        Matcher session = Pattern.compile("session ([0-9a-f-]{36})").matcher(services.log("ingest"));
        assertThat(session.find()).as("the input's session in ingest's log").isTrue();
        Map<String, List<JsonNode>> published = ScaleOutIntegrationTest.frameStatsUntilEnded(
                kafka, Topics.withPrefix(""), Set.of(UUID.fromString(session.group(1))));
        List<Long> expected = LongStream.range(0, frames).boxed().toList();
        assertThat(published.get("drive"))
                .as("frame-stats, read committed")
                .extracting(s -> s.get("sequence").asLong())
                .containsExactlyElementsOf(expected);
        RunOutputs.assertFilesHoldEveryFrameOnce(out, "drive", frames); // finished before the end-of-stream went out
    }

    private static Process broker(ServiceProcesses services, Path data, int port, int controllerPort, String name)
            throws IOException {
        return services.start(
                name,
                "kafka",
                "--data-dir=" + data.toString(),
                "--port=" + Integer.toString(port),
                "--controller-port=" + Integer.toString(controllerPort));
    }
}
