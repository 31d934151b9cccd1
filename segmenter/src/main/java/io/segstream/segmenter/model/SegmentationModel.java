package io.segstream.segmenter.model;

import io.segstream.protocol.Taxonomy;

/** A loaded segmentation model. Thread-safe; each inference thread takes its own {@link Predictor}. */
public interface SegmentationModel extends AutoCloseable {

    /** Identifies the model in mask records and statistics. */
    String id();

    Taxonomy taxonomy();

    /** A predictor for the calling thread; close it when the thread is done. */
    Predictor newPredictor();

    @Override
    void close();

    /** Runs the model on one picture at a time; not thread-safe. */
    interface Predictor extends AutoCloseable {

        /** The class map of the image, at the image's resolution. */
        io.segstream.protocol.LabelMap segment(RgbImage image);

        @Override
        void close();
    }
}
