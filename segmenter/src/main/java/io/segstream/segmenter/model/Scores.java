package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;

/**
 * A model's scores (logits) for one picture: {@code classes} values per pixel, row-major,
 * pixel-interleaved. Owned by this record once constructed.
 */
public record Scores(int width, int height, int classes, float[] values) {

    public Scores {
        if (width < 1 || height < 1 || classes < 1 || classes > 255) {
            throw new IllegalArgumentException("scores " + width + "x" + height + "x" + classes + " are out of range");
        }
        if (values.length != width * height * classes) {
            throw new IllegalArgumentException("scores " + width + "x" + height + "x" + classes + " need "
                    + (long) width * height * classes + " values, got " + values.length);
        }
    }

    /** The class with the highest score at each pixel (the first on ties). */
    public LabelMap argMax() {
        byte[] labels = new byte[width * height];
        for (int p = 0; p < labels.length; p++) {
            int base = p * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (values[base + c] > values[base + best]) {
                    best = c;
                }
            }
            labels[p] = (byte) best;
        }
        return new LabelMap(width, height, labels);
    }
}
