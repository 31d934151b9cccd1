package io.segstream.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * Ends a recorded input: sent on the camera's key after its last frame (and forwarded after its
 * last mask, and its last statistics), with the number of frames the session published.
 */
public record EndOfStream(UUID session, long frameCount) {

    public EndOfStream {
        Objects.requireNonNull(session, "session");
        if (frameCount < 0) {
            throw new IllegalArgumentException("frame count must be >= 0, got " + frameCount);
        }
    }
}
