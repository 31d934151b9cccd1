package io.segstream.ingest.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th wait is drawn uniformly from [d/2, d] where d doubles
 * from {@code min} up to {@code max}. A live camera resets it once a connection delivers frames; a
 * recorded input waits with it between attempts to open a network source. Not thread-safe.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;

    public Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The wait before the next attempt, counting one more failure. */
    public Duration next() {
        long ceiling = min.toMillis() << Math.min(failures, 20);
        long d = Math.min(ceiling, max.toMillis());
        failures++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(d / 2, d + 1));
    }

    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
