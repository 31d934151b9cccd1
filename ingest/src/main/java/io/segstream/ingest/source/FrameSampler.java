package io.segstream.ingest.source;

import java.util.OptionalDouble;

/**
 * Keeps frames at no more than a target rate of the source's own time: a frame is kept when its
 * presentation time has reached the next due time. Without a target every frame is kept.
 */
public final class FrameSampler {

    private final long intervalMicros;
    private long nextDue = Long.MIN_VALUE;

    public FrameSampler(OptionalDouble targetFps) {
        this.intervalMicros = targetFps.isPresent() ? Math.round(1_000_000 / targetFps.getAsDouble()) : 0;
    }

    /** Whether to keep the frame presented at {@code ptsMicros}. */
    public boolean keep(long ptsMicros) {
        if (intervalMicros == 0) {
            return true;
        }
        boolean first = nextDue == Long.MIN_VALUE;
        boolean jumpedBack = !first && ptsMicros < nextDue - 2 * intervalMicros;
        if (!first && !jumpedBack && ptsMicros < nextDue) {
            return false;
        }
        boolean late = !first && ptsMicros >= nextDue + intervalMicros;
        // keep the cadence while frames come on time; start counting afresh after a gap or a new stream
        nextDue = first || jumpedBack || late ? ptsMicros + intervalMicros : nextDue + intervalMicros;
        return true;
    }
}
