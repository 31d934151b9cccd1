package io.segstream.segmenter.eval;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Scale;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.model.Sizing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * The model called directly on labelled pictures: each picture (resized to the feed size, if one is
 * given, bilinear) is segmented, its labels brought to the ground truth's size by nearest neighbour
 * (sampling at pixel centres), and counted against the ground truth.
 */
public final class DirectEvaluator {

    private final SegmentationModel model;
    private final ClassMatch match;
    private final Optional<int[]> feedSize;
    private final Scale scale;
    private double msPerFrame = Double.NaN;

    /** @param feedSize width and height to feed the model, empty for each picture's own size */
    public DirectEvaluator(SegmentationModel model, ClassMatch match, Optional<int[]> feedSize) {
        this(model, match, feedSize, model.description().scale());
    }

    /**
     * @param feedSize width and height to feed the model, empty for each picture's own size
     * @param scale    the inference scale (the model fits the scaled picture to itself as it would a frame)
     */
    public DirectEvaluator(SegmentationModel model, ClassMatch match, Optional<int[]> feedSize, Scale scale) {
        this.model = model;
        this.match = match;
        this.feedSize = feedSize;
        this.scale = scale;
    }

    /** Mean time per frame in the model (decoding and scoring left out) of the last {@link #evaluate}, ms. */
    public double msPerFrame() {
        return msPerFrame;
    }

    /**
     * Evaluates the frames; {@code progress} hears "i/n" after each. The first frame is run once
     * before the timing starts, so a model's first call at a new size (kernel preparation) is not counted.
     */
    public EvalReport evaluate(List<LabelledFrames.Pair> frames, Consumer<String> progress) throws IOException {
        Confusion confusion = new Confusion(match);
        long nanos = 0;
        try (SegmentationModel.Predictor predictor = model.newPredictor()) {
            int done = 0;
            for (LabelledFrames.Pair pair : frames) {
                BufferedImage img = ImageIO.read(pair.image().toFile());
                if (img == null) {
                    throw new IOException(pair.image() + " is not a picture");
                }
                RgbImage rgb = FrameDecoder.toRgbImage(img);
                if (feedSize.isPresent()) {
                    rgb = Sizing.resize(rgb, feedSize.get()[0], feedSize.get()[1]);
                }
                LabelMap truth = LabelledFrames.readLabels(pair.labels());
                if (done == 0) {
                    predictor.segment(List.of(rgb), scale);
                }
                long t0 = System.nanoTime();
                LabelMap predicted = predictor.segment(List.of(rgb), scale).get(0);
                nanos += System.nanoTime() - t0;
                confusion.add(Sizing.resizeNearest(predicted, truth.width(), truth.height()), truth);
                progress.accept(++done + "/" + frames.size());
            }
        }
        msPerFrame = frames.isEmpty() ? Double.NaN : nanos / 1e6 / frames.size();
        return confusion.report();
    }

    /** Counts pipeline masks (the model's class ids at the frame's size) against the ground truth of the same frames. */
    public static EvalReport score(ClassMatch match, List<LabelledFrames.Pair> frames, List<LabelMap> masks)
            throws IOException {
        Confusion confusion = new Confusion(match);
        for (int i = 0; i < frames.size(); i++) {
            LabelMap truth = LabelledFrames.readLabels(frames.get(i).labels());
            confusion.add(Sizing.resizeNearest(masks.get(i), truth.width(), truth.height()), truth);
        }
        return confusion.report();
    }
}
