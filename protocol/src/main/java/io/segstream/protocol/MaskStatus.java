package io.segstream.protocol;

/** Whether a mask record carries a real segmentation, so the sink never waits for one that will not come. */
public enum MaskStatus {
    /** The model ran; the value is the class map. */
    OK("ok"),
    /** Live mode: the frame was too old when its turn came; the value is empty. */
    SKIPPED_STALE("skipped-stale"),
    /** The frame could not be decoded or inferred; the value is empty. */
    FAILED("failed"),
    /**
     * Set by the sink, never sent by a segmenter: no mask arrived within the sink's mask timeout
     * while later records of the session did; the frame is reported and written unmasked.
     */
    MISSING("missing");

    private final String wireName;

    MaskStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static MaskStatus fromWire(String name) {
        for (MaskStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown mask status '" + Checks.shown(name) + "'");
    }
}
