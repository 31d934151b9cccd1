package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatsJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldWriteTheDocumentedFieldsAsValidJson() throws Exception {
        UUID session = UUID.randomUUID();
        FrameMeta frame =
                new FrameMeta(session, 3, 120_000, 1_700_000_000_000_000L, 640, 360, ImageEncoding.JPEG, -1, 0, true);
        Map<String, Double> classes = new LinkedHashMap<>();
        classes.put("road", 0.5);
        classes.put("traffic \"sign\"", 0.25);
        Map<String, DrivingFigures.Obstacle> obstacles = new LinkedHashMap<>();
        obstacles.put("vehicles", new DrivingFigures.Obstacle(true, java.util.Optional.of(0.75)));
        obstacles.put("persons", DrivingFigures.Obstacle.ABSENT);
        FrameStats stats = new FrameStats(
                "cam-\"1\"",
                frame,
                "deeplab",
                MaskStatus.OK,
                classes,
                java.util.Optional.of(new DrivingFigures(0.875, obstacles)),
                new FrameStats.Latencies(1.5, 80, 61.25, Double.NaN));

        JsonNode node = json.readTree(StatsJson.frame(stats));

        assertThat(node.get("camera").asText()).isEqualTo("cam-\"1\"");
        assertThat(node.get("session").asText()).isEqualTo(session.toString());
        assertThat(node.get("sequence").asLong()).isEqualTo(3);
        assertThat(node.get("ptsUs").asLong()).isEqualTo(120_000);
        assertThat(node.get("width").asInt()).isEqualTo(640);
        assertThat(node.get("status").asText()).isEqualTo("ok");
        assertThat(node.get("classes").get("road").asDouble()).isEqualTo(0.5);
        assertThat(node.get("classes").get("traffic \"sign\"").asDouble()).isEqualTo(0.25);
        assertThat(node.get("latencyMs").get("inference").asDouble()).isEqualTo(61.25);
        assertThat(node.get("latencyMs").get("endToEnd").isNull()).isTrue();
        JsonNode driving = node.get("driving");
        assertThat(driving.get("corridor").get("drivable").asDouble()).isEqualTo(0.875);
        assertThat(driving.get("obstacles").get("vehicles").get("present").asBoolean())
                .isTrue();
        assertThat(driving.get("obstacles").get("vehicles").get("nearestRow").asDouble())
                .isEqualTo(0.75);
        assertThat(driving.get("obstacles").get("persons").get("present").asBoolean())
                .isFalse();
        assertThat(driving.get("obstacles").get("persons").get("nearestRow").isNull())
                .isTrue();
    }

    @Test
    void shouldWriteNoDrivingFiguresForAFrameWithoutAMask() throws Exception {
        FrameMeta frame = new FrameMeta(UUID.randomUUID(), 0, 0, 1, 2, 2, ImageEncoding.JPEG, -1, 0, false);
        FrameStats stats = new FrameStats(
                "cam",
                frame,
                "m",
                MaskStatus.SKIPPED_STALE,
                Map.of(),
                java.util.Optional.empty(),
                new FrameStats.Latencies(1, 2, 0, 3));

        JsonNode node = json.readTree(StatsJson.frame(stats));

        assertThat(node.get("driving").isNull()).isTrue();
        assertThat(node.get("classes").size()).isZero();
    }

    @Test
    void shouldWriteAnEndOfStreamRecordWithItsSummary() throws Exception {
        UUID session = UUID.randomUUID();
        AggregateStats summary = new AggregateStats(
                38,
                36,
                0,
                1,
                1,
                0,
                Map.of("road", 0.25),
                new AggregateStats.Percentiles(10, 20, 30, 40),
                AggregateStats.Percentiles.NONE);

        JsonNode node = json.readTree(StatsJson.endOfStream("cam", new EndOfStream(session, 38), summary));

        assertThat(node.get("endOfStream").asBoolean()).isTrue();
        assertThat(node.get("frames").asLong()).isEqualTo(38);
        assertThat(node.get("session").asText()).isEqualTo(session.toString());
        JsonNode s = node.get("summary");
        assertThat(s.get("ok").asLong()).isEqualTo(36);
        assertThat(s.get("failed").asLong()).isEqualTo(1);
        assertThat(s.get("missing").asLong()).isEqualTo(1);
        assertThat(s.get("classes").get("road").asDouble()).isEqualTo(0.25);
        assertThat(s.get("latencyMs").get("endToEnd").get("p99").asDouble()).isEqualTo(30);
        assertThat(s.get("latencyMs").get("inference").get("p50").isNull()).isTrue();
    }

    @Test
    void shouldWriteAWindowWithItsRates() throws Exception {
        AggregateStats stats = new AggregateStats(
                10, 8, 2, 0, 0, 0, Map.of(), AggregateStats.Percentiles.NONE, AggregateStats.Percentiles.NONE);

        JsonNode node = json.readTree(StatsJson.window("cam", 1_700_000_000_000L, 2000, stats));

        assertThat(node.get("window").get("start").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(node.get("window").get("endMs").asLong()).isEqualTo(1_700_000_002_000L);
        assertThat(node.get("framesPerSecond").asDouble()).isEqualTo(5.0);
        assertThat(node.get("okPerSecond").asDouble()).isEqualTo(4.0);
        assertThat(node.get("skipped").asLong()).isEqualTo(2);
    }
}
