package io.segstream.ingest.camera;

import java.util.concurrent.CompletableFuture;

/**
 * One camera of an ingest process, live or recorded: started once, asked for its status, watched
 * for stalls, closed. {@code LiveCamera} reconnects forever; {@code RecordedCamera} reads its input
 * once to the end.
 */
public interface Camera extends AutoCloseable {

    /**
     * Starts reading on threads of the camera's own. The future completes when a recorded input has
     * been read to its end (or failed), or when a live camera has been closed.
     */
    CompletableFuture<IngestResult> start();

    CameraStatus status();

    /**
     * Restarts the source when it has sent nothing for too long; returns whether it did. A recorded
     * input's reads are bounded by their own timeouts, so it never stalls this way.
     */
    default boolean checkStall(long nowNanos) {
        return false;
    }

    /**
     * Stops reading; a live camera ends its session first, a recorded input does not (another ingest
     * instance may go on with it).
     */
    @Override
    void close();

    /** Stops reading for good, ending the session with its end of stream (the camera was removed). */
    default void end() {
        close();
    }
}
