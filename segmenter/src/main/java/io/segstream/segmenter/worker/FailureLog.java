package io.segstream.segmenter.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames the segmenter could not segment, counted by cause: the first frame of a cause is logged
 * at once (one ERROR line, the stack trace only at DEBUG), later ones are counted and summed up in
 * one line per cause at most every {@link #REPEAT}, and at the end. A thousand frames failing the
 * same way give a handful of lines, not a thousand stack traces. Thread-safe.
 */
public final class FailureLog {

    static final Duration REPEAT = Duration.ofSeconds(30);
    /** Causes kept apart; beyond them every new cause counts as "other causes". */
    static final int MAX_CAUSES = 64;

    private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);

    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private long lastSummaryNanos = System.nanoTime();
    private long sinceSummary;

    /** Counts {@code frames} frames that failed for {@code cause}; {@code error} goes to the DEBUG log. */
    public void failed(String cause, long frames, Throwable error) {
        failed(cause, "", frames, error);
    }

    /**
     * Counts {@code frames} frames (or records) that failed for {@code cause}; the first of a cause
     * is logged with {@code example} (which record, what exactly), the others only counted.
     */
    public synchronized void failed(String cause, String example, long frames, Throwable error) {
        String key = counts.containsKey(cause) || counts.size() < MAX_CAUSES ? cause : "other causes";
        long[] n = counts.computeIfAbsent(key, k -> new long[1]);
        if (n[0] == 0) {
            LOG.error(
                    "{} frame(s) not segmented: {}{}",
                    frames,
                    cause,
                    example.isEmpty() ? "" : " (e.g. " + example + ")");
            if (error != null) {
                LOG.debug("The failure in full", error);
            }
        } else {
            sinceSummary += frames;
        }
        n[0] += frames;
        if (sinceSummary > 0 && System.nanoTime() - lastSummaryNanos > REPEAT.toNanos()) {
            summarise();
        }
    }

    /** Logs each cause with its count, if any frames failed since the last summary. */
    public synchronized void summarise() {
        if (sinceSummary > 0) {
            counts.forEach((cause, n) -> LOG.error("{} frame(s) in all not segmented: {}", n[0], cause));
        }
        sinceSummary = 0;
        lastSummaryNanos = System.nanoTime();
    }

    /** Cause to the number of frames that failed for it, in the order the causes first came. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((cause, n) -> out.put(cause, n[0]));
        return out;
    }
}
