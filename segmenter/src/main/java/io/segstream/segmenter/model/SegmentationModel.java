package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Taxonomy;
import java.util.List;

/** A loaded segmentation model. Thread-safe; each inference thread takes its own {@link Predictor}. */
public interface SegmentationModel extends AutoCloseable {

    /** Identifies the model in mask records and statistics. */
    String id();

    /** What consumers need to read its masks: classes, driving groups, crop, sizing, scale. */
    ModelDescription description();

    /** What was found when it was loaded: the graph's signature, crop and class count, the fitting, where the classes come from. */
    ModelInfo info();

    default Taxonomy taxonomy() {
        return description().taxonomy();
    }

    /** The most pictures one model call takes: 1 for a model whose input has a fixed batch of 1. */
    int maxBatch();

    /** The device it runs on, e.g. "cpu()" or "gpu(0)". */
    String device();

    /** A predictor for the calling thread; close it when the thread is done. */
    Predictor newPredictor();

    @Override
    void close();

    /** Runs the model; not thread-safe. */
    interface Predictor extends AutoCloseable {

        /**
         * The class maps of the frames, in order, each at its frame's resolution, at the model's own
         * inference scale. A batch gives the same maps as the frames one by one.
         *
         * @throws ModelFailedException when the model fails, saying on what and, where known, why
         */
        List<LabelMap> segment(List<RgbImage> images);

        /** As {@link #segment(List)}, at another inference scale (a camera's own). */
        List<LabelMap> segment(List<RgbImage> images, Scale scale);

        /** The class map of one frame. */
        default LabelMap segment(RgbImage image) {
            return segment(List.of(image)).get(0);
        }

        @Override
        void close();
    }
}
