package io.segstream.ingest.camera;

import java.util.Objects;
import java.util.UUID;

/**
 * Where a recorded input starts: in {@code session}, at the frame numbered {@code nextSequence} (after
 * sampling). A fresh input starts at 0; an input another ingest instance was reading when it died goes
 * on in that instance's session after the last frame that reached the frames topic, so that every frame
 * is published exactly once in one session.
 */
public record Resume(UUID session, long nextSequence) {

    public Resume {
        Objects.requireNonNull(session, "session");
        if (nextSequence < 0) {
            throw new IllegalArgumentException("nextSequence must be >= 0, got " + nextSequence);
        }
    }

    public static Resume fresh() {
        return new Resume(UUID.randomUUID(), 0);
    }
}
