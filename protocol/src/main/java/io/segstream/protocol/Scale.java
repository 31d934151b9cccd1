package io.segstream.protocol;

import java.util.Locale;

/**
 * The size at which a model sees a frame, relative to the frame: a factor ({@code 2} doubles each
 * side) or a target width in pixels ({@code 912px}, the height follows the aspect ratio). A model
 * trained on objects of another apparent size segments better at its scale; a model with a fixed
 * crop caps it. Written as text in descriptors, options and the {@code ss.scale} frame header.
 *
 * @param factor      the factor, when {@code targetWidth} is 0
 * @param targetWidth the width in pixels, or 0 for a factor
 */
public record Scale(double factor, int targetWidth) {

    public static final double MIN_FACTOR = 0.05;
    public static final double MAX_FACTOR = 8;
    public static final int MIN_WIDTH = 16;
    public static final int MAX_WIDTH = 8192;

    /** The frame's own size. */
    public static final Scale ONE = new Scale(1, 0);

    public Scale {
        if (targetWidth == 0 && !(factor >= MIN_FACTOR && factor <= MAX_FACTOR)) {
            throw new IllegalArgumentException(
                    "scale factor must be within " + MIN_FACTOR + ".." + (int) MAX_FACTOR + ", got " + factor);
        }
        if (targetWidth != 0 && (targetWidth < MIN_WIDTH || targetWidth > MAX_WIDTH)) {
            throw new IllegalArgumentException(
                    "scale width must be within " + MIN_WIDTH + ".." + MAX_WIDTH + " px, got " + targetWidth);
        }
    }

    /**
     * Parses {@code 1.5} (a factor) or {@code 912px} (a width).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Scale parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.length() > 16) {
            throw new IllegalArgumentException(
                    "scale: a factor like 1.5 or a width like 912px, got a " + t.length() + "-character value");
        }
        try {
            if (t.endsWith("px")) {
                return new Scale(
                        0, Integer.parseInt(t.substring(0, t.length() - 2).strip()));
            }
            return new Scale(Double.parseDouble(t), 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scale: a factor like 1.5 or a width like 912px, got '" + text + "'");
        }
    }

    /** The scaled size of a {@code width x height} frame, each side at least 1. */
    public Size apply(int width, int height) {
        double f = targetWidth > 0 ? (double) targetWidth / width : factor;
        return new Size(Math.max(1, (int) Math.round(width * f)), Math.max(1, (int) Math.round(height * f)));
    }

    public boolean isOne() {
        return targetWidth == 0 && factor == 1;
    }

    @Override
    public String toString() {
        if (targetWidth > 0) {
            return targetWidth + "px";
        }
        return factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
    }
}
