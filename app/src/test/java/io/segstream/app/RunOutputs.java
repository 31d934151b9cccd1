package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Schemas;
import io.segstream.testkit.TestTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a run left behind, read back for tests: files, topics, masks; every JSON record held to its published schema. */
final class RunOutputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunOutputs() {}

    /** stats.jsonl of a camera, each line valid frame-stats. */
    /** Sequences 0 to frames - 1, each once and in order, in the camera's stats.jsonl and overlay. */
    static void assertFilesHoldEveryFrameOnce(Path out, String camera, int frames) throws Exception {
        assertThat(Files.readAllLines(out.resolve(camera).resolve("stats.jsonl"), StandardCharsets.UTF_8))
                .as("stats.jsonl")
                .extracting(l -> Long.parseLong(l.replaceAll(".*\"sequence\":(\\d+).*", "$1")))
                .containsExactlyElementsOf(LongStream.range(0, frames).boxed().toList());
        assertThat(Clips.frameCount(out.resolve(camera).resolve("overlay.mp4")))
                .as("overlay frames")
                .isEqualTo(frames);
    }

    static List<JsonNode> statsLines(Path out, String camera) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(camera).resolve("stats.jsonl"))) {
            Schemas.assertValid(Schemas.FRAME_STATS, line);
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    /** summary.json of a camera, valid as an end-of-stream record. */
    static JsonNode summary(Path out, String camera) throws IOException {
        String json = Files.readString(out.resolve(camera).resolve("summary.json"));
        Schemas.assertValid(Schemas.END_OF_STREAM, json);
        return JSON.readTree(json);
    }

    /** Every record on frame-stats, camera-stats and models under the prefix, each valid against its schema. */
    static List<JsonNode> validateTopics(KafkaBroker kafka, String prefix) throws IOException {
        List<JsonNode> frameStats = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, prefix + "frame-stats")) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            Schemas.assertValid(
                    WireHeaders.isEndOfStream(r.headers()) ? Schemas.END_OF_STREAM : Schemas.FRAME_STATS, json);
            frameStats.add(JSON.readTree(json));
        }
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, prefix + "camera-stats")) {
            Schemas.assertValid(Schemas.CAMERA_STATS, new String(r.value(), StandardCharsets.UTF_8));
        }
        List<ConsumerRecord<String, byte[]>> models = TestTopics.readAll(kafka, prefix + "models");
        assertThat(models).as("model descriptions on %smodels", prefix).isNotEmpty();
        for (ConsumerRecord<String, byte[]> r : models) {
            Schemas.assertValid(Schemas.MODEL_DESCRIPTION, new String(r.value(), StandardCharsets.UTF_8));
        }
        return frameStats;
    }

    /** The masks on the topic, in order (all ok). */
    static List<LabelMap> masks(KafkaBroker kafka, String topic) {
        List<LabelMap> masks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, topic)) {
            if (!WireHeaders.isEndOfStream(r.headers())) {
                assertThat(WireHeaders.readMask(r.headers()).status()).isEqualTo(MaskStatus.OK);
                masks.add(MaskCodec.decode(r.value()));
            }
        }
        return masks;
    }

    /** Pixels per class in the bottom fifth of the middle third of the picture, ahead of the car. */
    static long[] bottomCentreCounts(LabelMap m) {
        long[] counts = new long[256];
        for (int y = m.height() * 4 / 5; y < m.height(); y++) {
            for (int x = m.width() / 3; x < m.width() * 2 / 3; x++) {
                counts[m.at(x, y)]++;
            }
        }
        return counts;
    }

    static int argMax(long[] counts) {
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }
}
