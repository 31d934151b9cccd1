package io.segstream.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Scale;
import io.segstream.testkit.Assets;
import io.segstream.testkit.HostileFiles;
import io.segstream.testkit.IntegrationTest;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
class ModelDescriptorTest {

    @TempDir
    Path dir;

    private static RgbImage street(int w, int h) throws Exception {
        BufferedImage city = ImageIO.read(Assets.require("cityscapes/frankfurt_000000_000294_leftImg8bit.png")
                .toFile());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        img.createGraphics().drawImage(city, 0, 0, w, h, null);
        return FrameDecoder.toRgbImage(img);
    }

    /** The labels of the model as it is, without a descriptor. */
    private LabelMap segmentAsIs(RgbImage image) throws Exception {
        try (SegmentationModel m = new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL));
                SegmentationModel.Predictor p = m.newPredictor()) {
            return p.segment(image);
        }
    }

    /** The labels of the model read through the descriptor {@code yaml}. */
    private LabelMap segmentWith(String yaml, RgbImage image) throws Exception {
        try (SegmentationModel m = load(yaml);
                SegmentationModel.Predictor p = m.newPredictor()) {
            return p.segment(image);
        }
    }

    private SegmentationModel load(String yaml) throws Exception {
        Path descriptor = Files.writeString(dir.resolve("descriptor.yaml"), yaml);
        return new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU, Optional.of(descriptor))
                .load(Assets.require(Assets.SAVED_MODEL));
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void shouldRefuseADescriptorHoldingAFiftyMegabyteStringBeforeParsingIt() throws Exception {
        Path big = HostileFiles.withLongString(dir.resolve("big.yaml"), "name: \"", 50, "\"\n");

        assertThatThrownBy(() -> DescriptorFile.read(big))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("cannot read the model descriptor " + big + ": it holds more than 1024 KiB, "
                        + "far more than such a file needs; it is not read");
    }

    @Test
    void shouldTakeTheDeepLabDefaultsWhenThereIsNoDescriptor() {
        assertThat(DescriptorFile.forModel(dir)).isEqualTo(ModelDescriptor.DEEPLAB);
        assertThat(DescriptorFile.beside(dir.resolve("graph.pb"))).isEqualTo(dir.resolve("graph.yaml"));
        assertThat(ModelDescriptor.DEEPLAB.classes())
                .as("classes come from the graph")
                .isEmpty();
    }

    @Test
    void shouldReadEveryKeyAndReportEveryProblemAtOnce() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                input: {name: pixels, type: float32, mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5]}
                size: {policy: tiles, width: 513, height: 513}
                output: {kind: logits}
                classes:
                  - {name: background, color: "#000000"}
                  - {name: road, color: "#804080"}
                """);
        ModelDescriptor d = DescriptorFile.read(good);
        assertThat(d.input()).isEqualTo("pixels");
        assertThat(d.inputType()).isEqualTo(ModelDescriptor.InputType.FLOAT32);
        assertThat(d.size()).isEqualTo(ModelDescriptor.SizePolicy.of(ModelDescriptor.SizePolicy.Mode.TILES, 513, 513));
        assertThat(d.output()).isEqualTo("logits");
        assertThat(d.outputKind()).isEqualTo(ModelDescriptor.OutputKind.LOGITS);
        assertThat(d.classes().orElseThrow().get(1).name()).isEqualTo("road");
        assertThat(d.classes().orElseThrow().get(1).rgb()).isEqualTo(0x804080);

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                input: {type: int4, mean: [1, 2]}
                size: {policy: resize}
                output: {kind: scores}
                colours: []
                """);
        assertThatThrownBy(() -> DescriptorFile.read(bad))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("model descriptor " + bad
                        + ": unknown key 'colours'; input.type: one of [uint8, float32], got 'int4'; "
                        + "input.mean: three numbers (R, G, B); size: policy resize needs width and height within 1..16384; "
                        + "output.kind: one of [labels, logits], got 'scores'");
    }

    @Test
    void shouldNormaliseFloatInputPerChannel() {
        ModelDescriptor d = new ModelDescriptor(
                Optional.empty(),
                "x",
                ModelDescriptor.InputType.FLOAT32,
                new float[] {100, 0, 50},
                new float[] {2, 1, 10},
                ModelDescriptor.SizePolicy.AUTO_SIZE,
                Scale.ONE,
                "labels",
                ModelDescriptor.OutputKind.LABELS,
                Optional.of(Cityscapes.TAXONOMY),
                Map.of());
        FloatBuffer f =
                new BatchTranslator(d).normalised(List.of(new RgbImage(1, 1, new byte[] {(byte) 200, 10, (byte) 150})));

        assertThat(new float[] {f.get(0), f.get(1), f.get(2)}).containsExactly(50f, 10f, 10f);
    }

    @Test
    void shouldReadLogitsToTheSameLabelsAsTheLabelsOutput() throws Exception {
        RgbImage image = street(512, 256);
        LabelMap labels = segmentAsIs(image);
        assertThat(segmentWith("output: {name: logits, kind: logits}\n", image).labels())
                .isEqualTo(labels.labels());
    }

    @Test
    void shouldResizeToTheModelsSizeAndGiveTheMaskAtTheFramesSize() throws Exception {
        RgbImage frame = street(1280, 720);
        LabelMap direct = Sizing.resizeNearest(segmentAsIs(Sizing.resize(frame, 640, 360)), 1280, 720);
        LabelMap mask = segmentWith("size: {policy: resize, width: 640, height: 360}\n", frame);
        assertThat(mask.width()).isEqualTo(1280);
        assertThat(mask.height()).isEqualTo(720);
        assertThat(mask.labels()).isEqualTo(direct.labels());
    }

    @Test
    void shouldCoverTheFrameWithTilesAndAgreeWithTheWholeFrameAwayFromTheSeams() throws Exception {
        RgbImage frame = street(1024, 512);
        LabelMap whole = segmentAsIs(frame);
        LabelMap tiled = segmentWith("size: {policy: tiles, width: 384, height: 384}\n", frame);
        assertThat(tiled.width()).isEqualTo(1024);
        assertThat(tiled.height()).isEqualTo(512);
        int same = 0;
        for (int i = 0; i < whole.labels().length; i++) {
            same += whole.labels()[i] == tiled.labels()[i] ? 1 : 0;
        }
        assertThat(same / (double) whole.labels().length)
                .as("agreement with the whole frame")
                .isGreaterThan(0.85);
    }

    @Test
    void shouldRefuseADescriptorNamingAnOutputTheModelLacks() {
        assertThatThrownBy(() -> load("output: {name: heatmap, kind: logits}\n"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("has no 'heatmap' output (float32 [N,H,W,classes])");
    }

    @Test
    void shouldRefuseADescriptorWhoseClassesOrOutputKindDoNotFitTheModel() {
        assertThatThrownBy(() -> load("""
                output: {kind: logits}
                classes: [{name: road, color: "#804080"}, {name: sky, color: "#4682b4"}]
                """))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageEndingWith("scores 19 classes, but the descriptor names 2");
        assertThatThrownBy(() -> load("output: {name: labels, kind: logits}\n"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("output 'labels' has shape")
                .hasMessageEndingWith("but the descriptor reads it as logits float32 [N,H,W,classes]");
    }
}
