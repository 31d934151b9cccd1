package io.segstream.protocol;

import java.util.Objects;

/** One class of a taxonomy: its id in masks, its name, and its colour in overlays (0xRRGGBB). */
public record SegmentationClass(int id, String name, int rgb) {

    public SegmentationClass {
        Objects.requireNonNull(name, "name");
        if (id < 0 || id > 254) {
            throw new IllegalArgumentException("class id must fit in a mask byte (0..254), got " + id);
        }
    }
}
