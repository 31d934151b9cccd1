package io.segstream.ingest;

import java.util.Optional;
import java.util.UUID;

/**
 * How one recorded input ended.
 *
 * @param session the stream session, absent when the input never opened
 * @param frames  frames published (each one still goes through the pipeline, even when the input failed later)
 * @param error   why the input could not be read to its end, absent on success
 */
public record IngestResult(String camera, String input, Optional<UUID> session, long frames, Optional<String> error) {

    public boolean succeeded() {
        return error.isEmpty();
    }

    /** Whether an end-of-stream marker was published, so the downstream stages will finish this session. */
    public boolean endOfStreamSent() {
        return session.isPresent();
    }
}
