package io.segstream.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.Size;
import io.segstream.protocol.SizingMode;
import io.segstream.testkit.Assets;
import io.segstream.testkit.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real DeepLab exports in ../shared/assets beyond the EdgeTPU model: what is found at load, and their reference labels. */
@IntegrationTest
class RealModelsTest {

    @TempDir
    Path cache;

    private SegmentationModel load(String model, Optional<String> descriptor) {
        return new ModelLoader(cache, DeviceChoice.CPU, descriptor.map(Assets::project)).load(Assets.require(model));
    }

    /** A descriptor of nothing but a default, given by path: DeepLab's defaults, nothing looked up by the graph. */
    private SegmentationModel loadWithoutDescriptor(String model) throws IOException {
        Path empty = Files.writeString(cache.resolve("defaults.yaml"), "scale: 1\n");
        return new ModelLoader(cache, DeviceChoice.CPU, Optional.of(empty)).load(Assets.require(model));
    }

    @Test
    void shouldFindTheRepositorysDescriptorByTheSha256OfTheModelsGraph() {
        for (String model : List.of(Assets.ADE_SAVED_MODEL, Assets.ADE_FROZEN_GRAPH)) {
            try (SegmentationModel m = load(model, Optional.empty())) {
                ModelDescription d = m.description();
                assertThat(d.model()).as(model).isEqualTo("deeplabv3plus-mnv2-ade20k32");
                assertThat(d.taxonomy().get(7).name()).isEqualTo("road");
                assertThat(d.taxonomy().get(7).rgb()).isEqualTo(0x8c8c8c);
                assertThat(d.groups().vehicles()).containsExactly(21);
                assertThat(m.info().fitting().describe()).contains("912x512");
            }
        }
        try (SegmentationModel m = load(Assets.SIGNATE_GRAPH, Optional.empty())) {
            assertThat(m.description().model()).isEqualTo("signate-deeplabv3plus-mnv3");
            assertThat(m.description().taxonomy().get(1).name()).isEqualTo("lane");
        }
        try (SegmentationModel m = load(Assets.SAVED_MODEL, Optional.empty())) {
            assertThat(m.description().model())
                    .as("no descriptor names the EdgeTPU graph: DeepLab's defaults, Cityscapes by its 19 classes")
                    .isEqualTo("deeplab_edgetpu_slim_cityscapes_savedmodel");
        }
    }

    @Test
    void shouldFindTheFixedCropAndTheClassCountOfADeepLabExportInItsGraph() throws IOException {
        try (SegmentationModel m = loadWithoutDescriptor(Assets.SIGNATE_GRAPH)) {
            ModelDescription d = m.description();
            assertThat(d.crop()).as("export_model.py's crop, H 513 x W 1025").hasValue(new Size(1025, 513));
            assertThat(m.info().graph().classes()).hasValue(5);
            assertThat(d.taxonomy().size()).isEqualTo(5);
            assertThat(d.taxonomy().get(0).name())
                    .as("neutral names, never Cityscapes'")
                    .isEqualTo("class 0");
            assertThat(d.sizing()).isEqualTo(SizingMode.FIT);
            assertThat(m.info().graph().logits()).as("the export has no logits").isEmpty();
        }
    }

    @Test
    void shouldTakeTheClassesAndGroupsOfTheDescriptor() {
        try (SegmentationModel m = load(Assets.SIGNATE_GRAPH, Optional.of(Assets.SIGNATE_DESCRIPTOR))) {
            ModelDescription d = m.description();
            assertThat(d.model()).isEqualTo("signate-deeplabv3plus-mnv3");
            assertThat(d.taxonomy().classes())
                    .extracting(c -> c.name())
                    .containsExactly("background", "lane", "signal", "pedestrian", "car");
            assertThat(d.taxonomy().get(1).rgb()).isEqualTo(0x452f8e);
            assertThat(d.groups().drivable()).containsExactly(1);
            assertThat(d.groups().vehicles()).containsExactly(4);
            assertThat(d.groups().persons()).containsExactly(3);
            assertThat(d.groups().twoWheelers()).isEmpty();
        }
    }

    @Test
    void shouldReadTheDecoderModelAsAnyInputSizeWith32Classes() throws IOException {
        try (SegmentationModel m = loadWithoutDescriptor(Assets.ADE_SAVED_MODEL)) {
            assertThat(m.description().crop()).isEmpty();
            assertThat(m.description().taxonomy().size()).isEqualTo(32);
            assertThat(m.description().sizing()).isEqualTo(SizingMode.NATIVE);
            assertThat(m.info().graph().logits()).hasValue("logits");
        }
        try (SegmentationModel m = load(Assets.SAVED_MODEL, Optional.empty())) {
            assertThat(m.description().taxonomy().get(0).name())
                    .as("19 classes: Cityscapes")
                    .isEqualTo("road");
            assertThat(m.description().groups().vehicles()).containsExactly(13, 14, 15, 16);
        }
    }

    @Test
    void shouldReproduceTheReferenceLabelsOfTheSignateExport() throws IOException {
        assertThat(agreement(
                        Assets.SIGNATE_GRAPH,
                        "testvectors/signate_img0562_816x512.png",
                        "testvectors/signate_img0562_816x512_labels.png"))
                .isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldReproduceTheReferenceLabelsOfTheDecoderModelInBothForms() throws IOException {
        assertThat(agreement(
                        Assets.ADE_SAVED_MODEL,
                        "testvectors/udacity_f20_512x512.png",
                        "testvectors/udacity_f20_512x512_ade32_labels.png"))
                .isGreaterThanOrEqualTo(0.99);
        assertThat(agreement(
                        Assets.ADE_FROZEN_GRAPH,
                        "testvectors/udacity_f20_512x512.png",
                        "testvectors/udacity_f20_512x512_ade32_labels.png"))
                .isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldFitAFrameLargerThanTheCropAndGiveTheMaskAtTheFramesSize() throws IOException {
        RgbImage still = FrameDecoder.toRgb(
                ImageIO.read(Assets.require("stills/signate_img0562.jpg").toFile()));
        try (SegmentationModel m = load(Assets.SIGNATE_GRAPH, Optional.of(Assets.SIGNATE_DESCRIPTOR));
                SegmentationModel.Predictor p = m.newPredictor()) {
            LabelMap mask = p.segment(still);
            assertThat(mask.width()).isEqualTo(1936);
            assertThat(mask.height()).isEqualTo(1216);
            double[] fractions = fractions(mask, 5);
            assertThat(fractions[1]).as("lane: the road and crosswalk ahead").isBetween(0.2, 0.45);
            assertThat(fractions[4]).as("car").isGreaterThan(0.005);
        }
    }

    static double[] fractions(LabelMap mask, int classes) {
        double[] f = new double[classes];
        for (byte b : mask.labels()) {
            if ((b & 0xFF) < classes) {
                f[b & 0xFF] += 1.0 / mask.labels().length;
            }
        }
        return f;
    }

    private double agreement(String model, String input, String labels) throws IOException {
        RgbImage image = FrameDecoder.toRgb(ImageIO.read(Assets.require(input).toFile()));
        LabelMap reference = MaskCodec.decode(Files.readAllBytes(Assets.require(labels)));
        LabelMap predicted;
        try (SegmentationModel m = load(model, Optional.empty());
                SegmentationModel.Predictor p = m.newPredictor()) {
            predicted = p.segment(image);
        }
        assertThat(predicted.width()).isEqualTo(reference.width());
        assertThat(predicted.height()).isEqualTo(reference.height());
        int same = 0;
        for (int i = 0; i < reference.labels().length; i++) {
            same += reference.labels()[i] == predicted.labels()[i] ? 1 : 0;
        }
        return same / (double) reference.labels().length;
    }
}
