package io.segstream.protocol;

/** Consumer group names shared between services. */
public final class Groups {

    /**
     * The segmenters' consumer group. Ingest reads its committed offsets on the frames topic to
     * know how many of a recorded camera's frames still wait to be segmented.
     */
    public static final String SEGMENTER = "segstream-segmenter";

    private Groups() {}
}
