package io.segstream.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.testkit.Assets;
import io.segstream.testkit.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
class ModelLoaderTest {

    @TempDir
    Path cache;

    @Test
    void shouldReproduceTheReferenceLabelsOfTheCoralTestVectorWithTheSavedModel() throws IOException {
        assertThat(agreementWithReference(Assets.require(Assets.SAVED_MODEL))).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldReproduceTheReferenceLabelsOfTheCoralTestVectorWithTheFrozenGraph() throws IOException {
        assertThat(agreementWithReference(Assets.require(Assets.FROZEN_GRAPH))).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldConvertAFrozenGraphOnlyOnce() throws IOException {
        Path frozen = Assets.require(Assets.FROZEN_GRAPH);
        FrozenGraphConverter converter = new FrozenGraphConverter(cache);

        Path first = converter.savedModelFor(frozen);
        long written =
                Files.getLastModifiedTime(first.resolve("saved_model.pb")).toMillis();
        Path second = converter.savedModelFor(frozen);

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.resolve("saved_model.pb")).toMillis())
                .isEqualTo(written);
    }

    @Test
    void shouldRefuseAMissingModelNamingThePath() {
        Path missing = cache.resolve("nope");

        assertThatThrownBy(() -> new ModelLoader(cache).load(missing))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseADirectoryThatIsNoSavedModel() throws IOException {
        Path dir = Files.createDirectories(cache.resolve("empty-model"));

        assertThatThrownBy(() -> new ModelLoader(cache).load(dir))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("holds no saved_model.pb");
    }

    @Test
    void shouldRefuseATruncatedFrozenGraph() throws IOException {
        byte[] whole = Files.readAllBytes(Assets.require(Assets.FROZEN_GRAPH));
        Path truncated = cache.resolve("truncated.pb");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 3));

        assertThatThrownBy(() -> new ModelLoader(cache.resolve("conv")).load(truncated))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("truncated.pb");
        try (var left = Files.list(cache.resolve("conv"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("nothing of the failed conversion is left in the cache")
                    .isEmpty();
        }
    }

    private double agreementWithReference(Path modelPath) throws IOException {
        BufferedImage input = ImageIO.read(
                Assets.require("testvectors/cityscapes_segmentation.bmp").toFile());
        LabelMap reference = MaskCodec.decode(
                Files.readAllBytes(Assets.require("testvectors/cityscapes_segmentation_reference_labels.png")));
        LabelMap predicted;
        try (SegmentationModel model = new ModelLoader(cache).load(modelPath);
                SegmentationModel.Predictor predictor = model.newPredictor()) {
            predicted = predictor.segment(FrameDecoder.toRgb(input));
        }
        assertThat(predicted.width()).isEqualTo(513);
        assertThat(predicted.height()).isEqualTo(513);
        int same = 0;
        for (int i = 0; i < reference.labels().length; i++) {
            if (reference.labels()[i] == predicted.labels()[i]) {
                same++;
            }
        }
        return same / (double) reference.labels().length;
    }
}
