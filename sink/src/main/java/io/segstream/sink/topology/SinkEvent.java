package io.segstream.sink.topology;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.ModelDescription;
import java.util.UUID;

/** What the join hands to the output stage: per camera session in sequence order, and model descriptions as they come. */
public sealed interface SinkEvent {

    /**
     * A frame with its mask, or with a mask of status {@code missing} made up by the join when
     * the real one did not arrive in time.
     *
     * @param frameTimestamp broker timestamp of the frame record, ms
     * @param maskTimestamp  broker timestamp of the mask record, ms (the join's time for a missing mask)
     * @param maskPng        the class map, empty unless the mask status is ok
     */
    record Joined(
            String camera,
            FrameMeta frame,
            byte[] picture,
            long frameTimestamp,
            MaskMeta mask,
            byte[] maskPng,
            long maskTimestamp)
            implements SinkEvent {}

    /** The frame records of {@code count} sequences from {@code first} on never arrived; the join moved past them. */
    record Lost(String camera, UUID session, long first, long count) implements SinkEvent {}

    /**
     * A segmenter's description of its model, which came in-band on the masks partition before the
     * model's first mask there.
     *
     * @param source where it came from ({@code topic-partition@offset}), for the log
     */
    record Described(ModelDescription description, String source) implements SinkEvent {}

    /** Every frame of the session has been handed on. */
    record Ended(String camera, EndOfStream endOfStream) implements SinkEvent {}
}
