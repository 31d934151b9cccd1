package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;

/** Picture and label resizing and tiling for models that take a fixed size. */
public final class Sizing {

    private Sizing() {}

    /** Bilinear resize, sampling at pixel centres. */
    public static RgbImage resize(RgbImage src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        byte[] in = src.rgb();
        byte[] out = new byte[width * height * 3];
        double sx = (double) src.width() / width;
        double sy = (double) src.height() / height;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, src.height() - 1);
            int y1 = Math.min(y0 + 1, src.height() - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, src.width() - 1);
                int x1 = Math.min(x0 + 1, src.width() - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = (in[(y0 * src.width() + x0) * 3 + c] & 0xFF) * (1 - wx)
                            + (in[(y0 * src.width() + x1) * 3 + c] & 0xFF) * wx;
                    double bottom = (in[(y1 * src.width() + x0) * 3 + c] & 0xFF) * (1 - wx)
                            + (in[(y1 * src.width() + x1) * 3 + c] & 0xFF) * wx;
                    out[(y * width + x) * 3 + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** Nearest-neighbour resize of class ids, sampling at pixel centres. */
    public static LabelMap resizeNearest(LabelMap src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int sy = Math.min(src.height() - 1, (int) ((y + 0.5) * src.height() / height));
            for (int x = 0; x < width; x++) {
                int sx = Math.min(src.width() - 1, (int) ((x + 0.5) * src.width() / width));
                out[y * width + x] = src.labels()[sy * src.width() + sx];
            }
        }
        return new LabelMap(width, height, out);
    }

    /** The {@code width x height} region at (x0, y0), zero-padded where it reaches past the picture. */
    static RgbImage crop(RgbImage src, int x0, int y0, int width, int height) {
        byte[] out = new byte[width * height * 3];
        int w = Math.min(width, src.width() - x0);
        int h = Math.min(height, src.height() - y0);
        for (int y = 0; y < h; y++) {
            System.arraycopy(src.rgb(), ((y0 + y) * src.width() + x0) * 3, out, y * width * 3, w * 3);
        }
        return new RgbImage(width, height, out);
    }
}
