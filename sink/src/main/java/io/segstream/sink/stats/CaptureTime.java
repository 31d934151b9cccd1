package io.segstream.sink.stats;

import java.time.Duration;

/**
 * A frame's capture time is data a producer wrote, not a clock: the sink takes it only where it is
 * plausible against its own clock, and never as the timestamp of a record it writes.
 *
 * <p>A latency (capture to a moment the sink knows) is reported only within
 * [{@code -}{@link #MAX_SKEW}, {@link #MAX_LATENCY}]: a capture up to one second ahead (two hosts'
 * clocks apart) counts as 0 ms, anything further ahead or older than a day is not a latency but a
 * wrong clock, and is reported as unknown (NaN, {@code null} in JSON).
 */
public final class CaptureTime {

    /** How far ahead of the sink's clock a capture time may be and still count (as 0 ms). */
    public static final Duration MAX_SKEW = Duration.ofSeconds(1);
    /** The longest latency reported; frames are kept 24 h, so an older capture is a wrong clock. */
    public static final Duration MAX_LATENCY = Duration.ofHours(24);

    private static final long SKEW_MS = MAX_SKEW.toMillis();
    private static final long MAX_MS = MAX_LATENCY.toMillis();

    private CaptureTime() {}

    /** The time from {@code fromMs} to {@code toMs} in ms, 0 for a small negative skew, NaN when implausible. */
    public static double latencyMs(double fromMs, double toMs) {
        double d = toMs - fromMs;
        if (!Double.isFinite(d) || d < -SKEW_MS || d > MAX_MS) {
            return Double.NaN;
        }
        return Math.max(0, d);
    }

    /** Whether a capture time (µs since the epoch) is within the plausible range around {@code nowMs}. */
    public static boolean plausible(long captureMicros, long nowMs) {
        long captureMs = Math.floorDiv(captureMicros, 1000);
        return captureMs <= nowMs + SKEW_MS && captureMs >= nowMs - MAX_MS;
    }

    /**
     * The time (ms) a frame is counted at in time windows: its capture time when plausible, else the
     * sink's clock, so no producer can open windows decades away or publish a window in the future.
     */
    public static long windowMs(long captureMicros, long nowMs) {
        return plausible(captureMicros, nowMs) ? Math.floorDiv(captureMicros, 1000) : nowMs;
    }
}
