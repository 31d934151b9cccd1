package io.segstream.ingest.live;

import java.time.Duration;
import java.util.Optional;

/**
 * How a live camera reads its next frame, decided frame by frame: decode only what will be
 * published, and between such frames as little as the stream allows. The segmenters' room for the
 * camera says whether the next frame can go out; the camera's publish interval (the time between
 * the frames it could send lately: its share of what the segmenters take) says when the next one
 * will, and the stream's key frame interval (its group of pictures) what skipping costs.
 */
public final class DecodePlan {

    /** What to do with the next frame. */
    public enum Read {
        /** Decode and convert it: it goes out. */
        DECODE,
        /** Decode it, for the frames that refer to it, but neither convert nor copy it: it is dropped. */
        DECODE_AND_DROP,
        /** Drop the packets up to the next key frame undecoded, and read that one. */
        NEXT_KEY_FRAME
    }

    /**
     * With the segmenters behind this long, a camera whose publish interval is not known yet reads
     * key frames only (the stream must also have key frames often enough, below).
     */
    public static final Duration KEY_FRAMES_ONLY_AFTER = Duration.ofSeconds(1);

    /**
     * Key frames further apart than this are not waited for: a live view would freeze between them
     * and the stall watchdog would see no frame.
     */
    public static final Duration KEY_FRAME_INTERVAL_MAX = Duration.ofSeconds(2);

    private DecodePlan() {}

    /**
     * @param room            whether the segmenters can take a frame of this camera now
     * @param behindFor       how long they have had no room for it (zero when they have)
     * @param keyFrameInterval the time between the stream's last two key frames, once known
     * @param publishInterval the time between the camera's frames that went out lately, once known
     */
    public static Read next(
            boolean room, Duration behindFor, Optional<Duration> keyFrameInterval, Optional<Duration> publishInterval) {
        if (room) {
            return Read.DECODE;
        }
        if (keyFrameInterval.isEmpty() || keyFrameInterval.get().compareTo(KEY_FRAME_INTERVAL_MAX) > 0) {
            return Read.DECODE_AND_DROP;
        }
        // the next frame that can go out comes after the next key frame: nothing before it is needed
        if (publishInterval.isPresent() && publishInterval.get().compareTo(keyFrameInterval.get()) >= 0) {
            return Read.NEXT_KEY_FRAME;
        }
        return behindFor.compareTo(KEY_FRAMES_ONLY_AFTER) > 0 ? Read.NEXT_KEY_FRAME : Read.DECODE_AND_DROP;
    }

    /** The publish interval after one more: a moving average that follows a change within a few frames. */
    public static Duration smoothed(Optional<Duration> before, Duration latest) {
        return before.map(b -> b.multipliedBy(3).plus(latest).dividedBy(4)).orElse(latest);
    }
}
