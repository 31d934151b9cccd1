package io.segstream.protocol;

import java.util.Objects;

/** One class of a taxonomy: its id in masks, its name, and its colour in overlays (0xRRGGBB). */
public record SegmentationClass(int id, String name, int rgb) {

    /** The longest class name. */
    public static final int MAX_NAME = 64;

    public SegmentationClass {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("class name must be 1.." + MAX_NAME + " printable characters, got '"
                    + (name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "..." : name) + "'");
        }
        if (rgb < 0 || rgb > 0xFFFFFF) {
            throw new IllegalArgumentException("class colour must be 0xRRGGBB, got " + Integer.toHexString(rgb));
        }
        if (id < 0 || id > 254) {
            throw new IllegalArgumentException("class id must fit in a mask byte (0..254), got " + id);
        }
    }
}
