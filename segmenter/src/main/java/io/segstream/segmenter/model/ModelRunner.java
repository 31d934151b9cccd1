package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;
import java.util.List;

/**
 * Runs a model on pictures of one size, as they are: the raw seam under {@link FittedPredictor},
 * which sizes, scales and tiles frames. Not thread-safe; one per inference thread.
 */
public interface ModelRunner extends AutoCloseable {

    /** The most pictures one call takes. */
    int maxBatch();

    /** The class ids of each picture, at the picture's size. */
    List<LabelMap> labels(List<RgbImage> images);

    /** Whether {@link #scores} can be called: the model exposes its logits. */
    boolean hasScores();

    /** The logits of each picture, at the picture's size. */
    List<Scores> scores(List<RgbImage> images);

    @Override
    void close();
}
