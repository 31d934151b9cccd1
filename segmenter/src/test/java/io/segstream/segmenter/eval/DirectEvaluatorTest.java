package io.segstream.segmenter.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segstream.protocol.LabelMap;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Assets;
import io.segstream.testkit.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
class DirectEvaluatorTest {

    @TempDir
    Path dir;

    /** The Cityscapes frame and its 256x128 ground truth, in the layout the evaluator pairs. */
    private List<LabelledFrames.Pair> frankfurt() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.createSymbolicLink(
                images.resolve("frankfurt_000000_000294_leftImg8bit.png"),
                Assets.require("cityscapes/frankfurt_000000_000294_leftImg8bit.png"));
        return LabelledFrames.pair(images, Assets.require("cityscapes/gt_256x128"));
    }

    @Test
    void shouldMatchTheReferenceAccuracyOfTheManifestOnTheCityscapesFrame() throws Exception {
        EvalReport report;
        try (SegmentationModel model =
                new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU).load(Assets.require(Assets.SAVED_MODEL))) {
            report = new DirectEvaluator(model, ClassMatchTest.cityscapesOnto(LabelFormat.CITYSCAPES), Optional.empty())
                    .evaluate(frankfurt(), p -> {});
        }

        // ../shared/assets/MANIFEST.md: 2048x1024 native, pixel accuracy 0.9777,
        // mIoU 0.7773 over the 10 classes present
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.classIoU()).hasSize(10);
        assertThat(report.meanIoU()).isCloseTo(0.7773, within(0.01));
        assertThat(report.pixelAccuracy()).isCloseTo(0.9777, within(0.01));
        assertThat(report.classIoU().get("road")).isCloseTo(0.986, within(0.01));
    }

    @Test
    void shouldPairCamVidFramesWithTheirLabelsAndMapCityscapesClassesOntoThem() throws Exception {
        List<LabelledFrames.Pair> pairs =
                LabelledFrames.pair(Assets.require("camvid/images"), Assets.require("camvid/labels"));

        assertThat(pairs).hasSize(5);
        assertThat(pairs)
                .allSatisfy(p ->
                        assertThat(p.labels().getFileName()).isEqualTo(p.image().getFileName()));
        ClassMatch camvid = ClassMatchTest.cityscapesOnto(LabelFormat.CAMVID);
        assertThat(camvid.truth(0)).as("road").isEqualTo(3);
        assertThat(camvid.truth(14)).as("truck").isEqualTo(8);
        assertThat(camvid.truth(18)).as("bicycle").isEqualTo(10);
        assertThat(camvid.truth(255)).isEqualTo(-1);
        assertThat(camvid.notCompared())
                .as("every CamVid class has a Cityscapes source")
                .isEmpty();
    }

    @Test
    void shouldCountIoUOnlyOverClassesPresentAndSkipIgnoredPixels() {
        // truth: road, road, sky, ignore; prediction: road, sky, sky, road
        LabelMap truth = new LabelMap(4, 1, new byte[] {0, 0, 10, (byte) 255});
        LabelMap prediction = new LabelMap(4, 1, new byte[] {0, 10, 10, 0});
        Confusion c = new Confusion(ClassMatchTest.cityscapesOnto(LabelFormat.CITYSCAPES));
        c.add(prediction, truth);
        EvalReport r = c.report();

        assertThat(r.pixelAccuracy()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(r.classIoU()).containsOnlyKeys("road", "sky");
        assertThat(r.classIoU().get("road")).isCloseTo(0.5, within(1e-9));
        assertThat(r.classIoU().get("sky")).isCloseTo(0.5, within(1e-9));
        assertThat(r.meanIoU()).isCloseTo(0.5, within(1e-9));
    }
}
