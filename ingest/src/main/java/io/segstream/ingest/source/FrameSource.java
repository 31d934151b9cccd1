package io.segstream.ingest.source;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** Where frames come from: a file, a camera stream. One reader thread at a time. */
public interface FrameSource extends AutoCloseable {

    /** Opens the input. */
    void open() throws IOException;

    /** The next decoded frame, or empty at the end of a recorded input. */
    Optional<DecodedFrame> next() throws IOException;

    /**
     * Reads past the next frame without handing its picture on, for a live camera whose frame would
     * be dropped anyway: its presentation time in microseconds, or empty at the end. A source that
     * cannot skip more cheaply decodes the frame as {@link #next()} does.
     */
    default OptionalLong skip() throws IOException {
        Optional<DecodedFrame> frame = next();
        return frame.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(frame.get().ptsMicros());
    }

    /**
     * The next key frame, reading past the frames before it without decoding them, or empty at the
     * end: after skipping, decoding resumes at a key frame, which needs no earlier frame. A source
     * without key frames returns its next frame.
     */
    default Optional<DecodedFrame> nextKeyFrame() throws IOException {
        return next();
    }

    /**
     * The time between the last two key frames read, once two were: how long {@link #nextKeyFrame()}
     * may read before it returns. Empty for a source without key frames, or before the second one.
     */
    default Optional<Duration> keyFrameInterval() {
        return Optional.empty();
    }

    /** Frames the input is expected to hold, -1 when unknown or live. */
    long lengthHint();

    /** Nominal frames per second, 0 when unknown. */
    double frameRate();

    @Override
    void close();
}
