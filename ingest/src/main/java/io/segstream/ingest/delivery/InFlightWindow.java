package io.segstream.ingest.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps at most {@code max} frames of one camera in flight: sent but not yet acknowledged, or
 * acknowledged at an offset the segmenters have not committed past. A recorded input's fast decoder
 * waits here ({@link #acquire}) instead of filling the broker while the segmenters work; a live
 * camera asks without waiting ({@link #tryAcquire}) and drops the frame when there is no room.
 */
public final class InFlightWindow {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightWindow.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final String camera;
    private final int max;
    private final Segmented segmented;
    private final Deque<Long> acked = new ArrayDeque<>();
    private TopicPartition partition;
    private int unacked;

    /** @param max most frames in flight; 0 = no bound */
    public InFlightWindow(String camera, int max, Segmented segmented) {
        this.camera = camera;
        this.max = max;
        this.segmented = segmented;
    }

    /** Waits until one more frame may be sent, and counts it as sent. Without a bound it only counts. */
    public void acquire() throws InterruptedException {
        if (max == 0) {
            synchronized (this) {
                unacked++;
            }
            return;
        }
        long waitingSince = System.nanoTime();
        long reportedAt = waitingSince;
        while (true) {
            TopicPartition tp = partition();
            long next = tp == null ? 0 : segmented.next(tp);
            synchronized (this) {
                if (fits(next, true)) {
                    return;
                }
                long now = System.nanoTime();
                if (now - reportedAt >= REPORT_EVERY.toNanos()) {
                    reportedAt = now;
                    LOG.info(
                            "Camera {}: {} frames wait to be segmented; holding back for {} s (consumer group {})",
                            camera,
                            unacked + acked.size(),
                            Duration.ofNanos(now - waitingSince).toSeconds(),
                            segmented.groups());
                }
                wait(POLL.toMillis());
            }
        }
    }

    /**
     * Counts one more frame as sent if fewer than {@code max} are in flight, without waiting (a live
     * camera drops the frame otherwise); the offsets are those known now.
     */
    public boolean tryAcquire() {
        return room(true);
    }

    /** Whether a frame sent now would be let through by {@link #tryAcquire()}; counts nothing. */
    public boolean hasRoom() {
        return room(false);
    }

    private boolean room(boolean take) {
        if (max == 0) {
            synchronized (this) {
                unacked += take ? 1 : 0;
            }
            return true;
        }
        TopicPartition tp = partition();
        return fits(tp == null ? 0 : segmented.nextKnown(tp), take);
    }

    private synchronized TopicPartition partition() {
        return partition;
    }

    /**
     * Forgets the acknowledged frames before {@code next} (the segmenters are past them); whether one
     * more frame fits in the window, counted as sent when {@code take}.
     */
    private synchronized boolean fits(long next, boolean take) {
        while (!acked.isEmpty() && acked.peekFirst() < next) {
            acked.pollFirst();
        }
        if (unacked + acked.size() < max) {
            unacked += take ? 1 : 0;
            return true;
        }
        return false;
    }

    public synchronized void acknowledged(RecordMetadata metadata) {
        unacked--;
        partition = new TopicPartition(metadata.topic(), metadata.partition());
        if (max > 0) {
            acked.addLast(metadata.offset());
        }
        notifyAll();
    }

    public synchronized void failed() {
        unacked--;
        notifyAll();
    }

    public synchronized int inFlight() {
        return unacked + acked.size();
    }
}
