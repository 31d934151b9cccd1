package io.segstream.protocol;

import java.util.Locale;

/**
 * How a model's frames are fitted to it, as its description publishes it ({@code sizing}): the
 * scaled frame as it is, shrunk into the crop keeping its aspect ratio, resized to exactly the
 * model's size, or cut into tiles.
 */
public enum SizingMode {
    NATIVE,
    FIT,
    RESIZE,
    TILES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the value and the ones allowed
     */
    public static SizingMode fromWire(String name) {
        for (SizingMode m : values()) {
            if (m.wireName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "sizing must be native, fit, resize or tiles, got '" + Checks.shown(name) + "'");
    }
}
