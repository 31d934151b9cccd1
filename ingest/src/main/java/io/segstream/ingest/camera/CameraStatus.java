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

    /**
     * The status of {@code camera} now.
     *
     * @param lastFrameNanos {@link System#nanoTime()} when its last frame came; 0 before the first
     * @param lastError      the last error, or null
     */
    public static CameraStatus of(
            CameraSpec camera,
            boolean live,
            State state,
            long lastFrameNanos,
            long published,
            long dropped,
            long reconnects,
            long sessions,
            String lastError) {
        Optional<Duration> age = lastFrameNanos == 0
                ? Optional.empty()
                : Optional.of(Duration.ofNanos(System.nanoTime() - lastFrameNanos));
        return new CameraStatus(
                camera.id(),
                camera.input(),
                live,
                state,
                age,
                published,
                dropped,
                reconnects,
                sessions,
                Optional.ofNullable(lastError));
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
