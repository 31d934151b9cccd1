package io.segstream.protocol;

/**
 * What a mask record says about itself besides the frame it belongs to.
 *
 * @param frame           the identity of the segmented frame, copied from the frame record
 * @param modelId         which model produced the mask
 * @param inferenceMicros time spent in the model for this frame
 * @param status          whether the value holds a class map
 */
public record MaskMeta(FrameMeta frame, String modelId, long inferenceMicros, MaskStatus status) {

    public MaskMeta {
        Checks.nonNull("frame modelId status", frame, modelId, status);
    }
}
