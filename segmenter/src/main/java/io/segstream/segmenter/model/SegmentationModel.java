package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import java.util.List;

/** A loaded segmentation model. Thread-safe; each inference thread takes its own {@link Predictor}. */
public interface SegmentationModel extends AutoCloseable {

    /** Identifies the model in mask records and statistics. */
    String id();

    Taxonomy taxonomy();

    /** The most pictures one call takes: 1 for a model whose input has a fixed batch of 1. */
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
         * The class maps of the pictures, in order, each at its picture's resolution. The pictures
         * share one size and are at most {@link #maxBatch()}; a batch gives the same maps as the
         * pictures one by one.
         */
        List<LabelMap> segment(List<RgbImage> images);

        /** The class map of one picture. */
        default LabelMap segment(RgbImage image) {
            return segment(List.of(image)).get(0);
        }

        @Override
        void close();
    }
}
