package io.segstream.protocol;

import java.util.Locale;

/** How the picture in a frame record is encoded. */
public enum ImageEncoding {
    JPEG,
    PNG;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageEncoding fromWire(String name) {
        for (ImageEncoding e : values()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown image encoding '" + name + "' (expected jpeg or png)");
    }
}
