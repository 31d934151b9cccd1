package io.segstream.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * The identity and timing of one frame, carried in record headers of frames and masks alike.
 *
 * @param session       new on every (re)connect or file
 * @param sequence      per camera, monotonic within a session, starting at 0
 * @param ptsMicros     presentation time in the source, microseconds
 * @param captureMicros wall-clock capture time, microseconds since the epoch
 * @param width         picture width in pixels
 * @param height        picture height in pixels
 * @param encoding      how the frame picture is encoded
 * @param lengthHint    the number of frames the recorded input is expected to have, or -1 when unknown or live
 * @param frameRate     the source's nominal frame rate after sampling, frames per second, or 0 when unknown
 * @param live          from a live camera: latency beats completeness, so a segmenter may skip it when it is too old;
 *                      a recorded input's frames are never skipped
 */
public record FrameMeta(
        UUID session,
        long sequence,
        long ptsMicros,
        long captureMicros,
        int width,
        int height,
        ImageEncoding encoding,
        long lengthHint,
        double frameRate,
        boolean live) {

    public FrameMeta {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(encoding, "encoding");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
    }
}
