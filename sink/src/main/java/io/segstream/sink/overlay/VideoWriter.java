package io.segstream.sink.overlay;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Appends pictures to a video file; {@link #close()} finishes the file so that it plays. */
public interface VideoWriter extends AutoCloseable {

    void write(BufferedImage picture) throws IOException;

    /** Pictures written so far. */
    long frames();

    @Override
    void close() throws IOException;
}
