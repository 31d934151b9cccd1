package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.testkit.Assets;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segstream run} with the DeepLab exports users bring (../shared/assets): the SIGNATE export
 * with its fixed 513x1025 crop and 5 classes, and the DeepLabv3+ with its decoder and 32 ADE20K
 * classes, each on the 38-frame driving clip. Every frame comes out ok and every record speaks the
 * model's own classes; a model forced onto frames its graph cannot take fails the run in one line.
 */
@KafkaIntegrationTest
class RealModelsRunTest {

    private static final String CAMERA = "udacity_vehicle_detection_test_video";

    @TempDir
    Path work;

    private record Run(int code, Path out, String prefix, String stderr) {}

    private Run run(KafkaBroker kafka, String input, String model, String... more) throws Exception {
        Path out = work.resolve("out-" + TestTopics.uniquePrefix("r"));
        String prefix = TestTopics.uniquePrefix("models");
        List<String> args = new ArrayList<>(List.of(
                "run",
                "--input=" + input,
                "--model=" + Assets.require(model).toString(),
                "--out=" + out.toString(),
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix,
                "--model-cache=" + work.resolve("cache").toString(),
                "--device=cpu"));
        args.addAll(List.of(more));
        StdErr.Captured c = StdErr.capture(() -> Main.execute(args.toArray(String[]::new)));
        return new Run(c.code(), out, prefix, c.stderr());
    }

    @Test
    void shouldSegmentTheClipWithTheFixedCropExportInItsOwnFiveClasses(KafkaBroker kafka) throws Exception {
        Run r = run(
                kafka,
                Assets.require(Assets.DRIVING_CLIP).toString(),
                Assets.SIGNATE_GRAPH,
                "--model-descriptor="
                        + Assets.project(Assets.SIGNATE_DESCRIPTOR).toString());

        assertThat(r.code()).as(r.stderr()).isZero();
        List<String> names = List.of("background", "lane", "signal", "pedestrian", "car");
        List<JsonNode> stats = checkClip(kafka, r, names);
        long withCar = stats.stream()
                .filter(s -> s.get("classes").get("car").asDouble() > 0.002)
                .count();
        assertThat(withCar).as("frames with a car").isGreaterThan(stats.size() / 2);
        long[] counts = bottomCentre(kafka, r);
        assertThat(names.get(RunOutputs.argMax(counts)))
                .as("largest class ahead of the car")
                .isEqualTo("lane");
        assertThat(stats.get(0).get("driving").get("corridor").get("drivable").asDouble())
                .as("lane is the drivable group")
                .isGreaterThan(0.5);
        ModelDescription d = description(kafka, r.prefix());
        assertThat(d.model()).isEqualTo("signate-deeplabv3plus-mnv3");
        assertThat(d.taxonomy().get(1).rgb()).isEqualTo(0x452f8e);
        assertThat(d.crop().map(Object::toString)).hasValue("1025x513");
    }

    @Test
    void shouldSegmentTheClipWithTheDecoderModelInItsAde20kClassesInBothForms(KafkaBroker kafka) throws Exception {
        for (String model : List.of(Assets.ADE_SAVED_MODEL, Assets.ADE_FROZEN_GRAPH)) {
            // no --model-descriptor: the repository's descriptor is found by the graph's SHA-256
            Run r = run(kafka, Assets.require(Assets.DRIVING_CLIP).toString(), model);

            assertThat(r.code()).as(model + ": " + r.stderr()).isZero();
            List<JsonNode> stats = checkClip(kafka, r, null);
            assertThat(stats.get(0).get("classes").fieldNames())
                    .toIterable()
                    .hasSize(32)
                    .contains("road", "sky", "tree", "car");
            long withCar = stats.stream()
                    .filter(s -> s.get("classes").get("car").asDouble() > 0.002)
                    .count();
            assertThat(withCar).as("%s: frames with a car", model).isGreaterThan(stats.size() / 2);
            long[] counts = bottomCentre(kafka, r);
            assertThat(RunOutputs.argMax(counts))
                    .as("%s: largest class ahead of the car is road (7)", model)
                    .isEqualTo(7);
            assertThat(description(kafka, r.prefix()).model()).isEqualTo("deeplabv3plus-mnv2-ade20k32");
        }
    }

    @Test
    void shouldSegmentTheStillInTheModelsClasses(KafkaBroker kafka) throws Exception {
        Run r = run(
                kafka,
                Assets.require("stills/signate_img0562.jpg").toString(),
                Assets.SIGNATE_GRAPH,
                "--model-descriptor="
                        + Assets.project(Assets.SIGNATE_DESCRIPTOR).toString());

        assertThat(r.code()).as(r.stderr()).isZero();
        List<JsonNode> stats = RunOutputs.statsLines(r.out(), "signate_img0562");
        assertThat(stats).hasSize(1);
        JsonNode classes = stats.get(0).get("classes");
        assertThat(classes.fieldNames())
                .toIterable()
                .containsExactly("background", "lane", "signal", "pedestrian", "car");
        assertThat(classes.get("lane").asDouble())
                .as("lane (reference 0.327 at 816x512)")
                .isBetween(0.25, 0.40);
        assertThat(classes.get("car").asDouble()).as("car (reference 0.016)").isGreaterThan(0.005);
        assertThat(RunOutputs.summary(r.out(), "signate_img0562")
                        .get("summary")
                        .get("ok")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void shouldFailTheRunInOneLineWhenTheModelCannotTakeTheFrames(KafkaBroker kafka) throws Exception {
        Run r = run(
                kafka, Assets.require(Assets.DRIVING_CLIP).toString(), Assets.SIGNATE_GRAPH, "--size-policy", "native");

        assertThat(r.code()).as("exit code").isEqualTo(2);
        List<String> lines =
                r.stderr().lines().filter(l -> l.startsWith("segstream:")).toList();
        assertThat(lines).as(r.stderr()).hasSize(1);
        assertThat(lines.get(0))
                .contains("with 0 of 38 frames through")
                .contains("1280x720 is larger than the model's 1025x513 crop (size policy native)")
                .contains("use size policy fit");
    }

    private List<JsonNode> checkClip(KafkaBroker kafka, Run r, List<String> names) throws Exception {
        List<JsonNode> stats = RunOutputs.statsLines(r.out(), CAMERA);
        assertThat(stats).hasSize(38);
        assertThat(stats).allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("ok"));
        if (names != null) {
            assertThat(stats.get(0).get("classes").fieldNames()).toIterable().containsExactlyElementsOf(names);
            assertThat(RunOutputs.summary(r.out(), CAMERA)
                            .get("summary")
                            .get("classes")
                            .fieldNames())
                    .toIterable()
                    .containsExactlyElementsOf(names);
        }
        assertThat(RunOutputs.summary(r.out(), CAMERA).get("summary").get("ok").asInt())
                .isEqualTo(38);
        List<JsonNode> published = RunOutputs.validateTopics(kafka, r.prefix());
        assertThat(published).hasSize(39);
        return stats;
    }

    private static long[] bottomCentre(KafkaBroker kafka, Run r) {
        long[] counts = new long[256];
        for (LabelMap m : RunOutputs.masks(kafka, r.prefix() + "masks")) {
            long[] c = RunOutputs.bottomCentreCounts(m);
            for (int i = 0; i < counts.length; i++) {
                counts[i] += c[i];
            }
        }
        return counts;
    }

    private static ModelDescription description(KafkaBroker kafka, String prefix) {
        Iterator<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> it =
                TestTopics.readAll(kafka, prefix + "models").iterator();
        return ModelDescriptionJson.read(it.next().value());
    }
}
