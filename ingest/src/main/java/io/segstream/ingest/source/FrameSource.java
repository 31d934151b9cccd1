package io.segstream.ingest.source;

import java.io.IOException;
import java.util.Optional;

/** Where frames come from: a file, a camera stream. One reader thread at a time. */
public interface FrameSource extends AutoCloseable {

    /** Opens the input. */
    void open() throws IOException;

    /** The next decoded frame, or empty at the end of a recorded input. */
    Optional<DecodedFrame> next() throws IOException;

    /** Frames the input is expected to hold, -1 when unknown or live. */
    long lengthHint();

    /** Nominal frames per second, 0 when unknown. */
    double frameRate();

    @Override
    void close();
}
