package io.segstream.ingest.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A picture size in pixels, written {@code WIDTHxHEIGHT}. */
public record FrameSize(int width, int height) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

    public FrameSize {
        if (width < 2 || height < 2) {
            throw new IllegalArgumentException("a frame size must be at least 2x2, got " + width + "x" + height);
        }
    }

    public static FrameSize parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size like 1280x720");
        }
        return new FrameSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * This size shrunk, keeping its aspect ratio, until it fits within {@code box}; unchanged when it
     * already fits. Dimensions stay even, as video encoders want.
     */
    public FrameSize fitWithin(FrameSize box) {
        if (width <= box.width && height <= box.height) {
            return this;
        }
        double scale = Math.min((double) box.width / width, (double) box.height / height);
        return new FrameSize(even(width * scale), even(height * scale));
    }

    private static int even(double v) {
        return Math.max(2, (int) Math.round(v / 2) * 2);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
