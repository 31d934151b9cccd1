package io.segstream.ingest.camera;

import java.time.Duration;
import java.util.Optional;

/**
 * What a camera is doing, for the health endpoint and logs.
 *
 * @param lastFrameAge time since its last decoded frame, absent before the first
 * @param sessions     connections (live) or inputs (recorded) opened so far
 * @param lastError    the latest failure, absent when none
 */
public record CameraStatus(
        String camera,
        String input,
        boolean live,
        State state,
        Optional<Duration> lastFrameAge,
        long published,
        long dropped,
        long reconnects,
        long sessions,
        Optional<String> lastError) {

    public enum State {
        /** Opening the source. */
        CONNECTING,
        /** Delivering frames. */
        STREAMING,
        /** Waiting before the next reconnect. */
        WAITING,
        /** A recorded input read to its end. */
        FINISHED,
        /** A recorded input that could not be read. */
        FAILED,
        /** Closed. */
        STOPPED
    }

    /** Whether this camera is as it should be: streaming, or a recorded input not failed. */
    public boolean healthy() {
        return switch (state) {
            case STREAMING, FINISHED, STOPPED -> true;
            case CONNECTING -> !live || lastError.isEmpty();
            case WAITING, FAILED -> false;
        };
    }
}
