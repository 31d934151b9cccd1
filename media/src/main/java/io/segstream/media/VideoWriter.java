package io.segstream.media;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Appends pictures to a video file; {@link #close()} finishes the file so that it plays. */
public interface VideoWriter extends AutoCloseable {

    void write(BufferedImage picture) throws IOException;

    /** Writes the picture, possibly later; {@code afterWritten} runs once the frame is in the file. */
    void write(BufferedImage picture, Runnable afterWritten) throws IOException;

    /** Waits until every picture given is in the file. */
    void awaitWritten() throws IOException;

    /** Pictures given so far. */
    long frames();

    @Override
    void close() throws IOException;
}
