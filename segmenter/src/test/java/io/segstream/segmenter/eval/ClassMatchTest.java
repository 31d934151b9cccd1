package io.segstream.segmenter.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassMatchTest {

    @TempDir
    Path dir;

    /** The ADE20K-32 classes of the DeepLabv3+ (MANIFEST order), with its groups. */
    private static final Taxonomy ADE32 = taxonomy(
            "other",
            "wall",
            "building",
            "sky",
            "floor",
            "tree",
            "ceiling",
            "road",
            "bed",
            "windowpane",
            "grass",
            "cabinet",
            "sidewalk",
            "person",
            "earth",
            "door",
            "table",
            "mountain",
            "plant",
            "curtain",
            "chair",
            "car",
            "water",
            "painting",
            "sofa",
            "shelf",
            "house",
            "sea",
            "mirror",
            "rug",
            "field",
            "armchair");

    private static final DrivingGroups ADE32_GROUPS =
            new DrivingGroups(List.of(7), List.of(21), List.of(13), List.of());

    static ClassMatch cityscapesOnto(LabelFormat format) {
        return ClassMatch.of(
                format, Cityscapes.TAXONOMY, DrivingGroups.byDefaultNames(Cityscapes.TAXONOMY), Optional.empty());
    }

    private static Taxonomy taxonomy(String... names) {
        List<SegmentationClass> classes = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            classes.add(new SegmentationClass(i, names[i], 0x808080));
        }
        return new Taxonomy("test", classes);
    }

    @Test
    void shouldMapAnAde20kModelOntoCamVidByNameAndThroughItsDrivingGroups() {
        ClassMatch m = ClassMatch.of(LabelFormat.CAMVID, ADE32, ADE32_GROUPS, Optional.empty());

        assertThat(m.truth(7)).as("road by name").isEqualTo(3);
        assertThat(m.truth(21)).as("car by name").isEqualTo(8);
        assertThat(m.truth(13)).as("person through the persons group").isEqualTo(9);
        assertThat(m.truth(7)).isNotEqualTo(LabelFormat.CITYSCAPES.classes().indexOf("traffic sign"));
        assertThat(m.comparedClasses())
                .containsExactly(
                        "sky ← sky",
                        "building ← building",
                        "road ← road",
                        "tree ← tree",
                        "car ← car",
                        "pedestrian ← person (persons)");
        assertThat(m.notCompared()).containsExactly("pole", "pavement", "sign-symbol", "fence", "bicyclist");
    }

    @Test
    void shouldTakeAMappingFileInsteadAndNameEveryPairItCannotUse() throws Exception {
        Path file = Files.writeString(dir.resolve("m.yaml"), "sidewalk: pavement\nhouse: building\nroad: road\n");
        ClassMatch m = ClassMatch.of(LabelFormat.CAMVID, ADE32, ADE32_GROUPS, Optional.of(ClassPairs.read(file)));

        assertThat(m.truth(12)).as("sidewalk").isEqualTo(4);
        assertThat(m.truth(26)).as("house").isEqualTo(1);
        assertThat(m.truth(21)).as("car: not in the file").isEqualTo(-1);
        assertThatThrownBy(() -> ClassMatch.of(
                        LabelFormat.CAMVID,
                        ADE32,
                        ADE32_GROUPS,
                        Optional.of(Map.of("lane", "road", "road", "asphalt"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lane' is not a class of the model")
                .hasMessageContaining("'asphalt' (for 'road') is not a class of camvid's labels");
    }

    @Test
    void shouldHaveNothingToCompareForAModelWhoseClassesMapOntoNone() {
        Taxonomy signate = taxonomy("background", "lane", "signal", "pedestrian", "car");
        DrivingGroups none = new DrivingGroups(List.of(), List.of(), List.of(), List.of());

        assertThat(ClassMatch.of(LabelFormat.ADE20K, signate, none, Optional.empty())
                        .isEmpty())
                .isFalse();
        assertThat(ClassMatch.of(LabelFormat.CITYSCAPES, taxonomy("lane", "signal"), none, Optional.empty())
                        .isEmpty())
                .isTrue();
    }

    @Test
    void shouldScoreOnlyTheComparedClassesAndCountAnUnmappedPredictionAsAMiss() {
        ClassMatch m = ClassMatch.of(LabelFormat.CAMVID, ADE32, ADE32_GROUPS, Optional.empty());
        // truth: road, road, pole (not compared), void; prediction: road, floor (maps to nothing), road, road
        LabelMap truth = new LabelMap(4, 1, new byte[] {3, 3, 2, 11});
        LabelMap prediction = new LabelMap(4, 1, new byte[] {7, 4, 7, 7});
        Confusion c = new Confusion(m);
        c.add(prediction, truth);
        EvalReport r = c.report();

        assertThat(r.pixelAccuracy()).isCloseTo(0.5, within(1e-9));
        assertThat(r.classIoU()).containsOnlyKeys("road");
        assertThat(r.classIoU().get("road")).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void shouldReadAClassListFileWithinItsBounds() throws Exception {
        Path list = Files.writeString(dir.resolve("classes.txt"), "# my labels\nroad\n\nsky\ncar\n");
        LabelFormat f = LabelFormat.fromClassList(list, 255);

        assertThat(f.classes()).containsExactly("road", "sky", "car");
        assertThat(ClassMatch.of(
                                f,
                                Cityscapes.TAXONOMY,
                                DrivingGroups.byDefaultNames(Cityscapes.TAXONOMY),
                                Optional.empty())
                        .comparedClasses())
                .containsExactly("road ← road", "sky ← sky", "car ← car");
        Path twice = Files.writeString(dir.resolve("twice.txt"), "road\nroad\n");
        assertThatThrownBy(() -> LabelFormat.fromClassList(twice, 255)).hasMessageContaining("'road' is listed twice");
        Path many = Files.writeString(
                dir.resolve("many.txt"),
                "c\n"
                        .repeat(1)
                        .replace(
                                "c",
                                String.join(
                                        "\n",
                                        java.util.stream.IntStream.range(0, 300)
                                                .mapToObj(i -> "c" + i)
                                                .toList())));
        assertThatThrownBy(() -> LabelFormat.fromClassList(many, 255)).hasMessageContaining("more than 255 classes");
        assertThat(LabelFormat.ADE20K.classes())
                .hasSize(151)
                .startsWith("other", "wall")
                .endsWith("flag");
    }
}
