package io.segstream.ingest.live;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th wait is drawn uniformly from [d/2, d] where d doubles
 * from {@code min} up to {@code max}. Reset after a connection delivers frames.
 */
final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;

    Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The wait before the next attempt, counting one more failure. */
    Duration next() {
        long ceiling = min.toMillis() << Math.min(failures, 20);
        long d = Math.min(ceiling, max.toMillis());
        failures++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(d / 2, d + 1));
    }

    int failures() {
        return failures;
    }

    void reset() {
        failures = 0;
    }
}
