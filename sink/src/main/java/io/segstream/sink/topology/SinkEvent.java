package io.segstream.sink.topology;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MaskMeta;

/** What the join hands to the output stage, in sequence order per camera session. */
public sealed interface SinkEvent {

    String camera();

    /**
     * A frame with its mask.
     *
     * @param frameTimestamp broker timestamp of the frame record, ms
     * @param maskTimestamp  broker timestamp of the mask record, ms
     * @param maskPng        the class map, empty unless the mask status is ok
     */
    record Joined(String camera, FrameMeta frame, byte[] picture, long frameTimestamp,
                  MaskMeta mask, byte[] maskPng, long maskTimestamp) implements SinkEvent {
    }

    /** Every frame of the session has been handed on. */
    record Ended(String camera, EndOfStream endOfStream) implements SinkEvent {
    }
}
