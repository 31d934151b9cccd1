package io.segstream.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Statistics over a set of frames: a camera-stats window or a session's summary.
 *
 * @param frames             frames accounted for (ok + skipped + failed + missing)
 * @param ok                 frames with a mask
 * @param skipped            frames a segmenter skipped as too old (live)
 * @param failed             frames a segmenter could not segment
 * @param missing            frames whose mask did not arrive within the sink's mask timeout
 * @param lost               sequences whose frame record never arrived (the sink moved past them)
 * @param meanClassFractions mean pixel fraction per class over the ok frames, in taxonomy order; empty without any
 * @param endToEndMs         capture to statistics
 * @param inferenceMs        time inside the model, over the ok frames
 */
public record AggregateStats(
        long frames,
        long ok,
        long skipped,
        long failed,
        long missing,
        long lost,
        Map<String, Double> meanClassFractions,
        Percentiles endToEndMs,
        Percentiles inferenceMs) {

    public AggregateStats {
        Objects.requireNonNull(endToEndMs, "endToEndMs");
        Objects.requireNonNull(inferenceMs, "inferenceMs");
        meanClassFractions = Collections.unmodifiableMap(new LinkedHashMap<>(meanClassFractions));
    }

    /** Latency percentiles in milliseconds; NaN (null in JSON) when there were no values. */
    public record Percentiles(double p50, double p90, double p99, double max) {

        public static final Percentiles NONE = new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
