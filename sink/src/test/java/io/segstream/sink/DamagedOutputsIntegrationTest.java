package io.segstream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.Topics;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.output.Recordings;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output files are a view of Kafka: a sink stops mid-input, its newest overlay part and
 * statistics lines are then cut short (what a crash or a full disk leaves), and the sink that takes
 * over makes them whole again from the topics: the final files hold every frame once and play.
 */
@KafkaIntegrationTest
class DamagedOutputsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAMES = 80;

    @TempDir
    Path work;

    @Test
    void shouldMakeADamagedPartWholeFromTheTopicsSoEveryFrameIsInTheFilesOnce(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "damaged", 1);
        ModelDescription model = ModelDescription.of("production", Cityscapes.TAXONOMY);
        UUID session = UUID.randomUUID();
        Path out = work.resolve("out");
        HandMadeRecords records = new HandMadeRecords(kafka, topics);
        records.describe(model);
        long now = System.currentTimeMillis() * 1000;
        for (int seq = 0; seq < FRAMES; seq++) {
            records.frameAndMask("cam", session, seq, now + seq * 40_000L, model);
        }

        try (SinkService first = new SinkService(config(kafka, topics, "state-1", out))) {
            first.start();
            Eventually.await(
                    "every frame's statistics committed",
                    Duration.ofMinutes(2),
                    () -> HandMadeRecords.frameStats(kafka, topics).size() >= FRAMES);
        }
        Path parts = out.resolve("cam").resolve(".parts").resolve(session.toString());
        List<Path> cut = cutShort(parts);
        records.end("cam", session, FRAMES);
        records.close();
        try (SinkService second = new SinkService(config(kafka, topics, "state-2", out))) {
            second.start();
            Eventually.await(
                    "the session ended", Duration.ofMinutes(2), () -> HandMadeRecords.ended(kafka, topics) >= 1);
        }

        assertThat(cut).as("the part and its lines were cut").hasSize(2);
        Path dir = out.resolve("cam");
        List<String> lines = Files.readAllLines(dir.resolve(Recordings.STATS), StandardCharsets.UTF_8);
        List<Long> sequences = new ArrayList<>();
        for (String line : lines) {
            sequences.add(JSON.readTree(line).get("sequence").asLong());
        }
        assertThat(sequences)
                .as("stats.jsonl: every frame once, in order")
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
        List<String> published = new ArrayList<>();
        for (JsonNode n : HandMadeRecords.frameStats(kafka, topics)) {
            published.add(n.toString());
        }
        List<String> reparsed = new ArrayList<>();
        for (String line : lines) {
            reparsed.add(JSON.readTree(line).toString());
        }
        assertThat(reparsed).as("the lines are frame-stats' records").isEqualTo(published);
        assertThat(Clips.frameCount(dir.resolve(Recordings.VIDEO)))
                .as("frames that decode")
                .isEqualTo(FRAMES);
        assertThat(JSON.readTree(dir.resolve(Recordings.SUMMARY).toFile())
                        .get("summary")
                        .get("ok")
                        .asLong())
                .isEqualTo(FRAMES);
    }

    /** Cuts the newest part's video inside a fragment's payload and its lines inside a line, to about half. */
    private static List<Path> cutShort(Path parts) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(parts)) {
            files = s.sorted().toList();
        }
        Path video = files.stream()
                .filter(p -> p.toString().endsWith(".mp4"))
                .reduce((a, b) -> b)
                .orElseThrow();
        Path jsonl = video.resolveSibling(video.getFileName().toString().replace(".mp4", ".jsonl"));
        byte[] v = Files.readAllBytes(video);
        int at = v.length / 2;
        while (!(v[at] == 'm' && v[at + 1] == 'd' && v[at + 2] == 'a' && v[at + 3] == 't')) {
            at--;
        }
        Files.write(video, Arrays.copyOf(v, at + 4 + 10));
        byte[] j = Files.readAllBytes(jsonl);
        Files.write(jsonl, Arrays.copyOf(j, j.length / 2 + 3));
        return List.of(video, jsonl);
    }

    private SinkConfig config(KafkaBroker kafka, Topics topics, String state, Path out) throws Exception {
        return SinkConfig.defaults(
                kafka.bootstrapServers(),
                topics,
                TestTopics.prefix(topics) + "sink",
                Files.createDirectories(work.resolve(state)),
                Optional.of(out));
    }
}
