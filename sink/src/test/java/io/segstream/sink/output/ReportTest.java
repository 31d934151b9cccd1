package io.segstream.sink.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "</script><img src=x onerror=alert(1)>";

    @TempDir
    Path dir;

    @Test
    void shouldFoldALongDriveIntoBoundedSeriesAndKeepEveryNameInert() throws Exception {
        int frames = 5001; // 30 fps for almost 3 minutes: folded 3 frames to a point
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            boolean ok = i % 100 != 99;
            lines.add(String.format(
                    Locale.ROOT,
                    "{\"sequence\":%d,\"ptsUs\":%d,\"status\":\"%s\",\"classes\":%s,"
                            + "\"driving\":%s,\"latencyMs\":{\"endToEnd\":%d,\"inference\":20.0}}",
                    i,
                    i * 33_333L,
                    ok ? "ok" : "failed",
                    ok ? "{\"road\":0.6,\"" + HOSTILE.replace("\"", "\\\"") + "\":0.399,\"speck\":0.001}" : "{}",
                    ok
                            ? "{\"corridor\":{\"drivable\":0.9},\"obstacles\":{\"vehicles\":{\"present\":true,\"nearestRow\":"
                                    + (0.5 + (i % 3) * 0.1) + "},\"persons\":{\"present\":false,\"nearestRow\":null},"
                                    + "\"twoWheelers\":{\"present\":false,\"nearestRow\":null}}}"
                            : "null",
                    100 + i % 3));
        }
        Files.write(dir.resolve(Recordings.STATS), lines, StandardCharsets.UTF_8);
        Taxonomy taxonomy = new Taxonomy(
                "t",
                List.of(
                        new SegmentationClass(0, "road", 0x804080),
                        new SegmentationClass(1, HOSTILE, 0x00ff00),
                        new SegmentationClass(2, "speck", 0x0000ff)));

        Report.write(dir, "cam-1", "{\"summary\":{\"frames\":" + frames + "}}", Optional.of(taxonomy));

        String html = Files.readString(dir.resolve(Report.FILE), StandardCharsets.UTF_8);
        assertThat(html)
                .as("uPlot inlined, nothing fetched")
                .contains("uPlot")
                .doesNotContain("src=\"http", "href=\"http");
        Matcher m = Pattern.compile(
                        "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1))
                .as("no markup can close the data's script element")
                .doesNotContain("<");
        JsonNode page = JSON.readTree(m.group(1));
        JsonNode data = page.get("data");
        assertThat(data.get("frames").asLong()).isEqualTo(frames);
        assertThat(data.get("framesPerPoint").asInt()).isEqualTo(3);
        assertThat(data.get("time")).hasSize(1667);
        assertThat(data.get("time").get(1).asDouble())
                .as("mean video time of frames 3..5")
                .isCloseTo(4 * 0.033333, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(data.get("classes")).extracting(c -> c.get("name").asText()).containsExactly("road", HOSTILE);
        assertThat(data.get("classes").get(0).get("color").asText()).isEqualTo("#804080");
        assertThat(data.get("classesNotDrawn").asInt())
                .as("speck never reaches 0.5 %")
                .isEqualTo(1);
        assertThat(data.get("nearest").get(0).get("values").get(0).asDouble())
                .as("the nearest row: the max of the stretch")
                .isEqualTo(0.7);
        assertThat(data.get("latencyMs").get("endToEnd").get(0).asDouble()).isEqualTo(101.0);
        assertThat(data.get("latencyMs").get("endToEndMax").get(0).asDouble()).isEqualTo(102.0);
        assertThat(data.get("drivable").get(33).isNull())
                .as("frames 99..101: one failed, two ok")
                .isFalse();
        assertThat(page.get("summary").get("summary").get("frames").asLong()).isEqualTo(frames);
        assertThat(dir.resolve(Report.FILE + ".partial")).doesNotExist();
    }

    @Test
    void shouldTakeUplotFromItsWebJar() {
        assertThat(PageResources.webJarVersion("org.webjars.npm", "uplot")).matches("\\d+\\.\\d+\\.\\d+");
    }
}
