package io.segstream.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A picture size in pixels. */
public record Size(int width, int height) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

    public Size {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
        }
    }

    /**
     * Parses {@code WIDTHxHEIGHT}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Size parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a size WIDTHxHEIGHT like 1280x720, got '" + text + "'");
        }
        return new Size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** This size shrunk, keeping its aspect ratio, until it fits inside {@code box}; unchanged when it fits. */
    public Size fitWithin(Size box) {
        if (fitsIn(box)) {
            return this;
        }
        double s = Math.min((double) box.width / width, (double) box.height / height);
        return new Size(
                Math.max(1, Math.min(box.width, (int) Math.round(width * s))),
                Math.max(1, Math.min(box.height, (int) Math.round(height * s))));
    }

    /**
     * As {@link #fitWithin}, with even dimensions of at least 2, as video encoders want; unchanged
     * when it fits.
     */
    public Size fitWithinEven(Size box) {
        if (fitsIn(box)) {
            return this;
        }
        double s = Math.min((double) box.width / width, (double) box.height / height);
        return new Size(even(width * s), even(height * s));
    }

    private static int even(double v) {
        return Math.max(2, (int) Math.round(v / 2) * 2);
    }

    public long pixels() {
        return (long) width * height;
    }

    /** Whether a picture of this size fits inside {@code other}. */
    public boolean fitsIn(Size other) {
        return width <= other.width && height <= other.height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
