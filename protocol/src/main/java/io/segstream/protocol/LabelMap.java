package io.segstream.protocol;

/**
 * A class-id map: one unsigned byte per pixel, row-major. The array is owned by the map;
 * callers must not change it after construction.
 */
public record LabelMap(int width, int height, byte[] labels) {

    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label map size must be positive, got " + width + "x" + height);
        }
        if (labels.length != width * height) {
            throw new IllegalArgumentException(
                    "label map " + width + "x" + height + " needs " + width * height + " labels, got " + labels.length);
        }
    }

    public int at(int x, int y) {
        return labels[y * width + x] & 0xFF;
    }
}
