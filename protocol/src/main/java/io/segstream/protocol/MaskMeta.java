package io.segstream.protocol;

import java.util.regex.Pattern;

/**
 * What a mask record says about itself besides the frame it belongs to.
 *
 * @param frame           the identity of the segmented frame, copied from the frame record
 * @param modelId         which model produced the mask
 * @param inferenceMicros time spent in the model for this frame
 * @param status          whether the value holds a class map
 * @param modelDigest     the {@link ModelDescriptionJson#digest digest} of the exact model description the mask
 *                        was made with (64 lowercase hex digits), empty when the producer gave none
 */
public record MaskMeta(FrameMeta frame, String modelId, long inferenceMicros, MaskStatus status, String modelDigest) {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    public MaskMeta {
        Checks.nonNull("frame modelId status modelDigest", frame, modelId, status, modelDigest);
        if (!modelDigest.isEmpty() && !DIGEST.matcher(modelDigest).matches()) {
            throw new IllegalArgumentException("a model digest is 64 lowercase hex digits (SHA-256)");
        }
    }

    /** A mask that names no description digest. */
    public MaskMeta(FrameMeta frame, String modelId, long inferenceMicros, MaskStatus status) {
        this(frame, modelId, inferenceMicros, status, "");
    }

    /** The same mask with another status. */
    public MaskMeta withStatus(MaskStatus s) {
        return new MaskMeta(frame, modelId, inferenceMicros, s, modelDigest);
    }
}
