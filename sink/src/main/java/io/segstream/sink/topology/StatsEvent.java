package io.segstream.sink.topology;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.Taxonomy;

/** What the statistics stage hands on, in sequence order per camera session: to frame-stats, the windows and the recordings. */
sealed interface StatsEvent {

    String camera();

    /**
     * A frame's statistics.
     *
     * @param json        its frame-stats record
     * @param mask        the mask status as accepted (headers of the frame-stats record)
     * @param picture     the frame record's picture
     * @param labels      the decoded mask, null without one
     * @param taxonomy    the classes of the mask's model (colours and names of the overlay)
     * @param pictureFits whether the picture is the size its headers say (a frame whose picture is not stays out of the video)
     */
    record FrameDone(
            String camera,
            FrameStats stats,
            String json,
            MaskMeta mask,
            byte[] picture,
            LabelMap labels,
            Taxonomy taxonomy,
            boolean pictureFits)
            implements StatsEvent {}

    /**
     * A session ended; its summary.
     *
     * @param json the end-of-stream record carrying the summary (also summary.json)
     */
    record SessionDone(String camera, EndOfStream endOfStream, String json) implements StatsEvent {}
}
