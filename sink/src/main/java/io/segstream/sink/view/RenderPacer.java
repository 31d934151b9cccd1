package io.segstream.sink.view;

import java.util.concurrent.TimeUnit;

/**
 * One camera's render slots: the first at once, then at most one every interval. A caller that asks
 * sooner waits for the next slot (and should then render the latest frame, not the one it had).
 * Not thread-safe: the camera's images take it under their lock.
 */
final class RenderPacer {

    /** Time as the pacer reads and spends it: the system's, or a test's. */
    interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    private final long intervalNanos;
    private final Clock clock;
    private boolean started;
    private long lastNanos;

    RenderPacer(long intervalNanos, Clock clock) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("the interval must be positive, got " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Waits for the next slot and takes it; true when it had to wait. */
    boolean awaitSlot() throws InterruptedException {
        boolean waited = false;
        if (started) {
            long wait = lastNanos + intervalNanos - clock.nanoTime();
            if (wait > 0) {
                clock.sleepNanos(wait);
                waited = true;
            }
        }
        started = true;
        lastNanos = clock.nanoTime();
        return waited;
    }
}
