package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.AggregateStats;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.protocol.SizingMode;
import io.segstream.protocol.StatsJson;
import io.segstream.testkit.Schemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/wire-format.md's JSON examples show the public schemas of frame-stats, the end-of-stream summary,
 * camera-stats and the model description: each must hold exactly the fields the code writes
 * ({@code classes} is shown shortened, so its members are not compared) and be valid against its
 * published JSON Schema.
 */
class ReadmeSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK =
            Pattern.compile("<!-- schema: ([a-z-]+) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void shouldDocumentExactlyTheFieldsOfEveryStatisticsRecord() throws Exception {
        Map<String, JsonNode> documented = documented();
        UUID session = UUID.randomUUID();
        Map<String, Double> classes = new LinkedHashMap<>();
        for (int id = 0; id < Cityscapes.TAXONOMY.size(); id++) {
            classes.put(Cityscapes.TAXONOMY.get(id).name(), 0.01);
        }
        Map<String, DrivingFigures.Obstacle> obstacles = new LinkedHashMap<>();
        obstacles.put("vehicles", new DrivingFigures.Obstacle(true, Optional.of(0.9)));
        obstacles.put("persons", DrivingFigures.Obstacle.ABSENT);
        obstacles.put("twoWheelers", DrivingFigures.Obstacle.ABSENT);
        FrameStats frame = new FrameStats(
                "cam",
                new FrameMeta(session, 0, 0, 1, 4, 4, ImageEncoding.JPEG, -1, 25, false),
                "m",
                MaskStatus.OK,
                classes,
                Optional.of(new DrivingFigures(0.5, obstacles)),
                new FrameStats.Latencies(1, 2, 3, 4));
        AggregateStats aggregate = new AggregateStats(
                1,
                1,
                0,
                0,
                0,
                0,
                classes,
                new AggregateStats.Percentiles(1, 2, 3, 4),
                new AggregateStats.Percentiles(1, 2, 3, 4));

        assertThat(documented.keySet())
                .containsExactlyInAnyOrder("frame-stats", "end-of-stream", "camera-stats", "model-description");
        documented.forEach((schema, example) -> Schemas.assertValid(schema, example.toString()));
        assertThat(paths(documented.get("frame-stats")))
                .as("frame-stats fields")
                .isEqualTo(paths(JSON.readTree(StatsJson.frame(frame))));
        assertThat(paths(documented.get("end-of-stream")))
                .as("end-of-stream fields")
                .isEqualTo(paths(JSON.readTree(StatsJson.endOfStream("cam", new EndOfStream(session, 1), aggregate))));
        assertThat(paths(documented.get("camera-stats")))
                .as("camera-stats fields")
                .isEqualTo(paths(JSON.readTree(StatsJson.window("cam", 0, 1000, aggregate))));
        ModelDescription described = new ModelDescription(
                "m",
                Cityscapes.TAXONOMY,
                DrivingGroups.byDefaultNames(Cityscapes.TAXONOMY),
                Optional.of(new Size(1025, 513)),
                SizingMode.FIT,
                Scale.ONE);
        assertThat(paths(documented.get("model-description")))
                .as("model description fields")
                .isEqualTo(paths(JSON.readTree(ModelDescriptionJson.write(described))));
    }

    private static Map<String, JsonNode> documented() throws Exception {
        Path readme = Path.of(System.getProperty("segstream.root")).resolve("docs/wire-format.md");
        Matcher m = BLOCK.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        while (m.find()) {
            out.put(m.group(1), JSON.readTree(m.group(2)));
        }
        return out;
    }

    /** Every field's dotted path; the members of {@code classes} are left out. */
    private static TreeSet<String> paths(JsonNode node) {
        TreeSet<String> out = new TreeSet<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, TreeSet<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            out.add(path);
            if (e.getValue().isObject() && !e.getKey().equals("classes")) {
                collect(e.getValue(), path + ".", out);
            }
        }
    }
}
