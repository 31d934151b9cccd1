package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Tools;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * The topics of a run read by programs that have none of segstream's code: the README's Python
 * consumer (examples/consume_topics.py, Debian's python3-confluent-kafka) and kcat.
 */
final class OtherLanguageConsumers {

    private static final Pattern CAMERA_LINE =
            Pattern.compile("camera (\\S+): frames (\\d+), ok (\\d+), drivable ([0-9.]+|none), classes seen (.*)");

    private OtherLanguageConsumers() {}

    /**
     * Runs the Python consumer on the topics under {@code prefix} and checks its figures against the
     * camera's stats.jsonl, and the mask it draws against the EdgeTPU model's Cityscapes colours.
     */
    static void checkPythonConsumer(KafkaBroker kafka, String prefix, Path out, String camera, Path work)
            throws Exception {
        Path png = work.resolve("mask.png");
        String output = run(
                List.of(
                        Tools.debianPython().toString(),
                        Path.of("..", "examples", "consume_topics.py").toString(),
                        "--bootstrap-servers=" + kafka.bootstrapServers(),
                        "--topic-prefix=" + prefix,
                        "--mask-png=" + png),
                120);
        System.out.print(output);
        Matcher m = CAMERA_LINE.matcher(output);
        assertThat(m.find()).as("a camera line in: %s", output).isTrue();
        List<JsonNode> stats = RunOutputs.statsLines(out, camera);
        List<JsonNode> ok = stats.stream()
                .filter(s -> s.get("status").asText().equals("ok"))
                .toList();
        Set<String> seen = new TreeSet<>();
        double drivable = 0;
        for (JsonNode s : ok) {
            s.get("classes").fields().forEachRemaining(e -> {
                if (e.getValue().asDouble() > 0) {
                    seen.add(e.getKey());
                }
            });
            drivable += s.get("driving").get("corridor").get("drivable").asDouble();
        }
        assertThat(m.group(1)).isEqualTo(camera);
        assertThat(Long.parseLong(m.group(2))).as("frames").isEqualTo(stats.size());
        assertThat(Long.parseLong(m.group(3))).as("ok frames").isEqualTo(ok.size());
        assertThat(Double.parseDouble(m.group(4)))
                .as("mean drivable share")
                .isCloseTo(drivable / ok.size(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(new TreeSet<>(List.of(m.group(5).split(","))))
                .as("classes seen")
                .isEqualTo(seen);
        assertThat(m.find()).as("one camera only").isFalse();

        BufferedImage mask = ImageIO.read(png.toFile());
        assertThat(mask.getWidth()).isEqualTo(1280);
        assertThat(mask.getHeight()).isEqualTo(720);
        Taxonomy classes = Cityscapes.TAXONOMY;
        Set<Integer> colours =
                classes.classes().stream().map(SegmentationClass::rgb).collect(Collectors.toSet());
        int road = classes.get(Cityscapes.ROAD).rgb();
        long roadBelow = 0;
        for (int y = 0; y < mask.getHeight(); y++) {
            for (int x = 0; x < mask.getWidth(); x++) {
                int rgb = mask.getRGB(x, y) & 0xFFFFFF;
                assertThat(colours).as("colour of pixel %d,%d", x, y).contains(rgb);
                if (y > mask.getHeight() * 5 / 6
                        && Math.abs(x - mask.getWidth() / 2) < mask.getWidth() / 8
                        && rgb == road) {
                    roadBelow++;
                }
            }
        }
        assertThat(roadBelow)
                .as("road's colour right in front of the car")
                .isGreaterThan((long) (mask.getHeight() / 6) * (mask.getWidth() / 4) / 2);
    }

    /** kcat prints a frame-stats record's headers as text: every one of them, readable. */
    static void checkKcatHeaders(KafkaBroker kafka, String prefix) throws Exception {
        String headers = run(
                        List.of(
                                Tools.kcat().toString(),
                                "-C",
                                "-q",
                                "-e",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                prefix + "frame-stats",
                                "-o",
                                "beginning",
                                "-c",
                                "1",
                                "-f",
                                "%h\\n"),
                        60)
                .strip();
        System.out.println("kcat -f '%h': " + headers);
        assertThat(headers)
                .startsWith("ce_specversion=1.0,")
                .contains(",ce_type=io.segstream.frame-stats,", ",content-type=application/json,", ",ss.seq=0,")
                .contains(",ss.width=1280,", ",ss.height=720,", ",ss.live=false,", ",ss.status=ok")
                .matches("[\\x20-\\x7e]+")
                .containsPattern(",ss.session=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12},");
    }

    private static String run(List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("%s ends", command).isTrue();
        String output = new String(bytes, StandardCharsets.UTF_8);
        assertThat(p.exitValue())
                .as("%s exit code; it printed: %s", command, output)
                .isZero();
        return output;
    }
}
