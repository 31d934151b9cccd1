package io.segstream.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.segmenter.model.ModelDescriptor.SizePolicy;
import io.segstream.segmenter.model.ModelDescriptor.SizePolicy.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tiles through a stand-in model that labels each pixel by its red value but gets the pixels within
 * {@link EdgyRunner#EDGE} of its input's border wrong (as a real network does without context): the
 * blended mask must equal the true labels everywhere, since every inner tile edge lies inside an overlap.
 */
class TileBlenderTest {

    /** Labels pixel (x, y) of the picture by its red byte / 32; a stand-in whose answer is known everywhere. */
    private static RgbImage gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) (((x / 37 + y / 23) % 7) * 32);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static final class EdgyRunner implements ModelRunner {
        static final int EDGE = 8;
        final boolean scores;
        final List<Size> seen = new ArrayList<>();

        EdgyRunner(boolean scores) {
            this.scores = scores;
        }

        @Override
        public int maxBatch() {
            return 2;
        }

        @Override
        public List<LabelMap> labels(List<RgbImage> images) {
            List<LabelMap> out = new ArrayList<>();
            for (RgbImage i : images) {
                seen.add(new Size(i.width(), i.height()));
                byte[] l = new byte[i.width() * i.height()];
                for (int y = 0; y < i.height(); y++) {
                    for (int x = 0; x < i.width(); x++) {
                        boolean edge = x < EDGE || y < EDGE || x >= i.width() - EDGE || y >= i.height() - EDGE;
                        l[y * i.width() + x] = (byte) (edge ? 7 : (i.rgb()[(y * i.width() + x) * 3] & 0xFF) / 32);
                    }
                }
                out.add(new LabelMap(i.width(), i.height(), l));
            }
            return out;
        }

        @Override
        public boolean hasScores() {
            return scores;
        }

        @Override
        public List<Scores> scores(List<RgbImage> images) {
            return labels(images).stream()
                    .map(l -> {
                        float[] v = new float[l.labels().length * 8];
                        for (int p = 0; p < l.labels().length; p++) {
                            v[p * 8 + l.labels()[p]] = 3f;
                        }
                        return new Scores(l.width(), l.height(), 8, v);
                    })
                    .toList();
        }

        @Override
        public void close() {}
    }

    private static LabelMap truth(RgbImage frame) {
        byte[] l = new byte[frame.width() * frame.height()];
        for (int p = 0; p < l.length; p++) {
            l[p] = (byte) ((frame.rgb()[p * 3] & 0xFF) / 32);
        }
        return new LabelMap(frame.width(), frame.height(), l);
    }

    /** Pixels of the frame whose label differs from the truth, away from the frame's own border. */
    private static int wrongInside(LabelMap mask, LabelMap truth) {
        int wrong = 0;
        for (int y = EdgyRunner.EDGE; y < mask.height() - EdgyRunner.EDGE; y++) {
            for (int x = EdgyRunner.EDGE; x < mask.width() - EdgyRunner.EDGE; x++) {
                wrong += mask.at(x, y) != truth.at(x, y) ? 1 : 0;
            }
        }
        return wrong;
    }

    private static LabelMap tiled(boolean scores, double overlap, RgbImage frame, EdgyRunner runner) {
        Fitting f = new Fitting(Mode.TILES, Optional.of(new Size(200, 120)), overlap);
        try (FittedPredictor p = new FittedPredictor(runner, f, Scale.ONE, Optional.empty(), "edgy", 8)) {
            return p.segment(frame);
        }
    }

    @Test
    void shouldKeepEachPixelFromTheTileWhereItLiesFurthestFromAnEdge() {
        RgbImage frame = gradient(500, 300);
        EdgyRunner runner = new EdgyRunner(false);

        LabelMap mask = tiled(false, SizePolicy.DEFAULT_OVERLAP, frame, runner);

        assertThat(mask.width()).isEqualTo(500);
        assertThat(wrongInside(mask, truth(frame)))
                .as("labels wrong inside the frame")
                .isZero();
        assertThat(runner.seen).as("every call was a tile of the crop").allMatch(s -> s.equals(new Size(200, 120)));
    }

    @Test
    void shouldAverageTheScoresOfOverlappingTiles() {
        RgbImage frame = gradient(500, 300);

        assertThat(wrongInside(tiled(true, SizePolicy.DEFAULT_OVERLAP, frame, new EdgyRunner(true)), truth(frame)))
                .isZero();
    }

    @Test
    void shouldShowTheSeamsWhenTilesDoNotOverlap() {
        RgbImage frame = gradient(600, 360);

        assertThat(wrongInside(tiled(false, 0, frame, new EdgyRunner(false)), truth(frame)))
                .as("without overlap the tiles' edges show")
                .isGreaterThan(1000);
    }
}
