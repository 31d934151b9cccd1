package io.segstream.ingest.camera;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How one camera ended: a recorded input read to its end (or failed), a live camera closed.
 *
 * @param sessions the stream sessions closed with an end-of-stream marker, whose frames the downstream
 *                 stages will therefore finish: a recorded input's one session, every connection of a live
 *                 camera; empty when the input never opened
 * @param frames   frames published (each one still goes through the pipeline, even when the input failed later)
 * @param error    why the input could not be read to its end, absent on success
 */
public record IngestResult(String camera, String input, List<UUID> sessions, long frames, Optional<String> error) {

    public IngestResult {
        sessions = List.copyOf(sessions);
    }

    public boolean succeeded() {
        return error.isEmpty();
    }

    /** Whether an end-of-stream marker was published, so the downstream stages will finish a session. */
    public boolean endOfStreamSent() {
        return !sessions.isEmpty();
    }
}
