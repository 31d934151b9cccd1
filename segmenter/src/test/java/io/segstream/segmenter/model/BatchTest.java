package io.segstream.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.LabelMap;
import io.segstream.testkit.Assets;
import io.segstream.testkit.IntegrationTest;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
class BatchTest {

    @TempDir
    Path cache;

    /** Four different crops of the Cityscapes image, 256x128 each. */
    private static List<RgbImage> crops() throws Exception {
        BufferedImage city = ImageIO.read(Assets.require("cityscapes/frankfurt_000000_000294_leftImg8bit.png")
                .toFile());
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BufferedImage crop = new BufferedImage(256, 128, BufferedImage.TYPE_3BYTE_BGR);
            crop.createGraphics().drawImage(city, 0, 0, 256, 128, 400 * i, 300, 400 * i + 512, 556, null);
            out.add(FrameDecoder.toRgb(crop));
        }
        return out;
    }

    @Test
    void shouldGiveABatchOfFourExactlyTheLabelsOfFourSingles() throws Exception {
        List<RgbImage> images = crops();
        try (SegmentationModel model =
                        new ModelLoader(cache, DeviceChoice.CPU).load(Assets.require(Assets.SAVED_MODEL));
                SegmentationModel.Predictor predictor = model.newPredictor()) {
            assertThat(model.maxBatch()).isGreaterThanOrEqualTo(4);
            assertThat(model.device()).isEqualTo("cpu()");

            List<LabelMap> batch = predictor.segment(images);
            List<LabelMap> singles = images.stream().map(predictor::segment).toList();

            assertThat(batch).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(batch.get(i).labels())
                        .as("picture %d", i)
                        .isEqualTo(singles.get(i).labels());
            }
            assertThat(batch.get(0).labels())
                    .as("the crops differ")
                    .isNotEqualTo(batch.get(3).labels());
        }
    }

    @Test
    void shouldServeAFrozenGraphOfBatchOneFrameByFrame() throws Exception {
        try (SegmentationModel model = new ModelLoader(cache).load(Assets.require(Assets.FROZEN_GRAPH));
                SegmentationModel.Predictor predictor = model.newPredictor()) {
            assertThat(model.maxBatch()).isEqualTo(1);
            List<RgbImage> images = crops();

            List<LabelMap> batch = predictor.segment(images);

            assertThat(batch).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(batch.get(i).labels())
                        .as("picture %d", i)
                        .isEqualTo(predictor.segment(images.get(i)).labels());
            }
        }
    }

    @Test
    void shouldRefuseTheGpuWhereTensorFlowSeesNone() {
        TensorFlowNatives.prepare();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ai.djl.engine.Engine.getEngine("TensorFlow").getGpuCount() == 0, "a GPU is visible here");
        assertThatThrownBy(() -> new ModelLoader(cache, DeviceChoice.GPU).load(Assets.require(Assets.SAVED_MODEL)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("--device gpu, but TensorFlow sees no GPU");
    }
}
