package io.segstream.sink.output;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.UUID;

/**
 * Makes again, from the topics, the overlay frames and statistics lines of a session that a
 * damaged part file lost: the files are a view of Kafka, which still holds every frame, mask and
 * statistic.
 */
public interface Rebuilder {

    /** One frame made again: its overlay and its statistics line as frame-stats holds it; the source's frame rate. */
    record Frame(long sequence, double frameRate, BufferedImage overlay, String statsJson) {}

    /**
     * The frames of the session with a sequence in [{@code from}, {@code to}) that belong in the
     * video, in sequence order; empty when the topics no longer hold them.
     */
    List<Frame> rebuild(String camera, UUID session, long from, long to);

    /** Nothing can be made again (no topics to read). */
    Rebuilder NONE = (camera, session, from, to) -> List.of();
}
