package io.segstream.ingest;

import io.segstream.protocol.ImageEncoding;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One camera or recorded input of an ingest process.
 *
 * @param id          the camera id: the record key on every topic
 * @param input       a file path or URL FFmpeg can open
 * @param encoding    how frames are published
 * @param jpegQuality 1..100, for JPEG
 */
public record CameraSpec(String id, String input, ImageEncoding encoding, int jpegQuality) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public CameraSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(encoding, "encoding");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("camera id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-' "
                    + "(it names the output directory)");
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("camera " + id + ": JPEG quality must be 1..100, got " + jpegQuality);
        }
    }
}
