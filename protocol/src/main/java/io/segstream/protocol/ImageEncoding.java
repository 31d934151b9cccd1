package io.segstream.protocol;

import java.util.Locale;

/** How the picture in a frame record is encoded. */
public enum ImageEncoding {
    JPEG,
    PNG;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The media type of a picture in this encoding ({@code content-type} of a frame record). */
    public String mediaType() {
        return "image/" + wireName();
    }

    public static ImageEncoding fromWire(String name) {
        for (ImageEncoding e : values()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "unknown image encoding '" + Checks.shown(name) + "' (expected jpeg or png)");
    }
}
