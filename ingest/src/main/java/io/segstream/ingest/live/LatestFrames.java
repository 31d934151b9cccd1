package io.segstream.ingest.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off from a live camera's reader to its sender. Offering never blocks: when
 * {@code capacity} frames already wait, the oldest waiting frame is dropped (and counted by the
 * caller). Session ends are never dropped and do not count against the capacity.
 */
final class LatestFrames {

    /** What waits to be sent: a frame, or the end of a session. */
    sealed interface Item permits Pending, SessionEnd {}

    private final int capacity;
    private final Deque<Item> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private int frames;

    LatestFrames(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a frame; returns how many older frames were dropped to make room (0 or 1). */
    int offer(Pending frame) {
        lock.lock();
        try {
            int dropped = 0;
            if (frames >= capacity) {
                Iterator<Item> it = items.iterator();
                while (it.hasNext()) {
                    if (it.next() instanceof Pending) {
                        it.remove();
                        frames--;
                        dropped++;
                        break;
                    }
                }
            }
            items.addLast(frame);
            frames++;
            notEmpty.signal();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    void endSession(SessionEnd end) {
        lock.lock();
        try {
            items.addLast(end);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest item, waiting up to {@code timeoutMillis} for one. */
    Optional<Item> poll(long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Item item = items.pollFirst();
            if (item instanceof Pending) {
                frames--;
            }
            return Optional.of(item);
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting (what the capacity bounds). */
    int frames() {
        lock.lock();
        try {
            return frames;
        } finally {
            lock.unlock();
        }
    }

    /** Whether anything waits to be sent, a session end included. */
    boolean isEmpty() {
        lock.lock();
        try {
            return items.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
