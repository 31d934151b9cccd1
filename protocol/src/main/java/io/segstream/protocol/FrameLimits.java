package io.segstream.protocol;

/**
 * The largest picture any service accepts from a record: each side at most {@value #MAX_SIDE}
 * pixels and at most {@value #MAX_PIXELS} pixels in all (8K UHD, 7680x4320, is 33 million). A
 * record claiming more is refused before anything is allocated for it.
 */
public final class FrameLimits {

    public static final int MAX_SIDE = 16384;
    public static final long MAX_PIXELS = 8192L * 8192;

    private FrameLimits() {}

    /**
     * @throws MalformedRecordException when the size is not positive or beyond the limits
     */
    public static void check(String what, long width, long height) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            throw new MalformedRecordException(what + " " + width + "x" + height
                    + " is outside the limits (each side 1.." + MAX_SIDE + ", at most " + MAX_PIXELS + " pixels)");
        }
    }
}
