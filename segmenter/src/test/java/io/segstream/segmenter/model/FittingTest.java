package io.segstream.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.segmenter.model.ModelDescriptor.SizePolicy;
import io.segstream.segmenter.model.ModelDescriptor.SizePolicy.Mode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FittingTest {

    private static final Size CLIP = new Size(1280, 720);
    private static final Optional<Size> CROP = Optional.of(new Size(1025, 513));

    @Test
    void shouldFitIntoTheCropKeepingTheAspectRatioWhenTheGraphHasOne() {
        Fitting f = Fitting.resolve(SizePolicy.AUTO_SIZE, CROP);

        assertThat(f.mode()).isEqualTo(Mode.FIT);
        assertThat(f.plan(CLIP, Scale.ONE)).isEqualTo(new Fitting.Whole(new Size(912, 513)));
        assertThat(f.plan(new Size(640, 360), Scale.ONE))
                .as("a smaller frame runs as it is")
                .isEqualTo(new Fitting.Whole(new Size(640, 360)));
        assertThat(f.plan(new Size(640, 360), new Scale(2, 0)))
                .as("the crop caps the scale")
                .isEqualTo(new Fitting.Whole(new Size(912, 513)));
    }

    @Test
    void shouldRunAtTheFramesScaleWhenTheModelTakesAnySize() {
        Fitting f = Fitting.resolve(SizePolicy.AUTO_SIZE, Optional.empty());

        assertThat(f.mode()).isEqualTo(Mode.NATIVE);
        assertThat(f.plan(CLIP, Scale.ONE)).isEqualTo(new Fitting.Whole(CLIP));
        assertThat(f.plan(CLIP, new Scale(2, 0))).isEqualTo(new Fitting.Whole(new Size(2560, 1440)));
        assertThat(f.plan(CLIP, Scale.parse("912px"))).isEqualTo(new Fitting.Whole(new Size(912, 513)));
    }

    @Test
    void shouldResizeToExactlyTheGivenSize() {
        Fitting f = Fitting.resolve(SizePolicy.of(Mode.RESIZE, 640, 640), CROP);

        assertThat(f.plan(CLIP, new Scale(2, 0))).isEqualTo(new Fitting.Whole(new Size(640, 640)));
    }

    @Test
    void shouldCoverTheScaledFrameWithTilesOfTheCropThatOverlapTheirNeighbours() {
        Fitting f = Fitting.resolve(SizePolicy.of(Mode.TILES), CROP);

        Fitting.Tiled plan = (Fitting.Tiled) f.plan(CLIP, new Scale(2, 0));

        assertThat(plan.scaled()).isEqualTo(new Size(2560, 1440));
        assertThat(plan.tile()).isEqualTo(new Size(1025, 513));
        List<Integer> xs = plan.origins().stream()
                .map(Fitting.Origin::x)
                .distinct()
                .sorted()
                .toList();
        List<Integer> ys = plan.origins().stream()
                .map(Fitting.Origin::y)
                .distinct()
                .sorted()
                .toList();
        assertThat(xs).first().isEqualTo(0);
        assertThat(xs).last().as("the last column ends at the edge").isEqualTo(2560 - 1025);
        assertThat(ys).last().isEqualTo(1440 - 513);
        assertThat(plan.origins()).hasSize(xs.size() * ys.size());
        for (int i = 1; i < xs.size(); i++) {
            assertThat(1025 - (xs.get(i) - xs.get(i - 1))).as("overlap").isGreaterThanOrEqualTo((int)
                    Math.ceil(0.25 * 1025));
        }
        for (int i = 1; i < ys.size(); i++) {
            assertThat(513 - (ys.get(i) - ys.get(i - 1))).as("overlap").isGreaterThanOrEqualTo((int)
                    Math.ceil(0.25 * 513));
        }
        assertThat(f.plan(new Size(800, 500), Scale.ONE))
                .as("a frame within the crop is one tile")
                .isEqualTo(new Fitting.Whole(new Size(800, 500)));
    }

    @Test
    void shouldRefuseAPolicyThatNeedsASizeNeitherTheDescriptorNorTheGraphGives() {
        assertThatThrownBy(() -> Fitting.resolve(SizePolicy.of(Mode.TILES), Optional.empty()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage(
                        "size policy tiles needs a width and a height: the descriptor gives none and the graph shows no fixed crop");
    }
}
