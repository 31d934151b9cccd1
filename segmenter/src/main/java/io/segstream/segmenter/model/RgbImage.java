package io.segstream.segmenter.model;

/** A decoded picture: interleaved 8-bit RGB, row-major, owned by this record once constructed. */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + width * height * 3
                    + " bytes, got " + rgb.length);
        }
    }
}
