package io.segstream.protocol;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The size a JPEG or PNG says it has, read from its header (the JPEG's start-of-frame marker, the
 * PNG's IHDR chunk) without decoding it: a picture is checked against its record's headers before
 * anything is allocated for it.
 */
public final class PictureSize {

    private PictureSize() {}

    /** The picture's width and height, empty when the bytes are neither a JPEG nor a PNG whose header can be read. */
    public static Optional<Size> read(byte[] picture) {
        if (picture == null || picture.length < 24) {
            return Optional.empty();
        }
        if ((picture[0] & 0xFF) == 0xFF && (picture[1] & 0xFF) == 0xD8) {
            return jpeg(picture);
        }
        ByteBuffer b = ByteBuffer.wrap(picture);
        if (b.getLong(0) == 0x89504E470D0A1A0AL && b.getInt(12) == 0x49484452) {
            return size(b.getInt(16), b.getInt(20));
        }
        return Optional.empty();
    }

    private static Optional<Size> jpeg(byte[] p) {
        int i = 2;
        while (i + 9 < p.length) {
            if ((p[i] & 0xFF) != 0xFF) {
                return Optional.empty();
            }
            int marker = p[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = (p[i + 2] & 0xFF) << 8 | p[i + 3] & 0xFF;
            boolean startOfFrame =
                    marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                int height = (p[i + 5] & 0xFF) << 8 | p[i + 6] & 0xFF;
                int width = (p[i + 7] & 0xFF) << 8 | p[i + 8] & 0xFF;
                return size(width, height);
            }
            if (marker == 0xD9 || marker == 0xDA || length < 2) {
                return Optional.empty(); // end of image, or scan data, before any frame header
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    private static Optional<Size> size(int width, int height) {
        return width > 0 && height > 0 ? Optional.of(new Size(width, height)) : Optional.empty();
    }
}
