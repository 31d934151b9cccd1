package io.segstream.sink.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the join of one task holds in memory while frames and masks wait for their partners,
 * counted per camera session, per camera and, through a {@link Budget} shared by the tasks of a
 * sink instance, overall. The join answers the oldest waiting frames early when a bound is passed.
 */
final class HeldRecords {

    /**
     * The bounds: per camera in records and bytes, and in bytes for all the tasks of a sink.
     * The defaults leave room for ingest's in-flight window (64 frames of a camera) of 1080p frames
     * (about 0.3 MB each) many times over, and for 4K frames waiting a moment for their masks.
     */
    record Limits(int perCameraRecords, long perCameraBytes, long totalBytes) {
        static final Limits DEFAULT = new Limits(1000, 64L * 1024 * 1024, 256L * 1024 * 1024);
    }

    /** The bytes all the tasks of one sink instance hold, shared between their stream threads. */
    static final class Budget {
        private final AtomicLong bytes = new AtomicLong();

        long bytes() {
            return bytes.get();
        }
    }

    /** Records and bytes held. */
    private static final class Count {
        long records;
        long bytes;
    }

    private final Limits limits;
    private final Budget budget;
    private final Map<String, Count> bySession = new HashMap<>();
    private final Map<String, Count> byCamera = new HashMap<>();
    private long taskBytes;

    HeldRecords(Limits limits, Budget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** Counts a record now held ({@code sign} 1) or no longer held (-1) for the session. */
    void add(String camera, String sessionKey, StoredRecord r, int sign) {
        long size = r.sizeBytes();
        change(bySession, sessionKey, sign, size);
        change(byCamera, camera, sign, size);
        taskBytes += sign * size;
        budget.bytes.addAndGet(sign * size);
    }

    private static void change(Map<String, Count> counts, String key, int sign, long size) {
        Count c = counts.computeIfAbsent(key, k -> new Count());
        c.records += sign;
        c.bytes += sign * size;
        if (c.records <= 0) {
            counts.remove(key);
        }
    }

    /** Whether the camera holds more than its bound allows. */
    boolean cameraOver(String camera) {
        Count c = byCamera.get(camera);
        return c != null && (c.records > limits.perCameraRecords() || c.bytes > limits.perCameraBytes());
    }

    /** Whether the sink instance holds more than its bound and this task holds something to give. */
    boolean totalOver() {
        return budget.bytes() > limits.totalBytes() && taskBytes > 0;
    }

    /** The camera of this task holding the most bytes. */
    Optional<String> largestCamera() {
        return byCamera.entrySet().stream()
                .max((a, b) -> Long.compare(a.getValue().bytes, b.getValue().bytes))
                .map(Map.Entry::getKey);
    }

    /** The session (key) of the camera holding the most bytes. */
    Optional<String> largestSession(String camera) {
        String prefix = camera + '/';
        return bySession.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getKey().indexOf('/', prefix.length()) < 0)
                .max((a, b) -> Long.compare(a.getValue().bytes, b.getValue().bytes))
                .map(Map.Entry::getKey);
    }

    String describe(String camera) {
        Count c = byCamera.getOrDefault(camera, new Count());
        return c.records + " records (" + c.bytes / (1024 * 1024) + " MiB) of camera " + camera + ", "
                + budget.bytes() / (1024 * 1024) + " MiB in the sink; bounds " + limits.perCameraRecords()
                + " records and " + limits.perCameraBytes() / (1024 * 1024) + " MiB a camera, "
                + limits.totalBytes() / (1024 * 1024) + " MiB in all";
    }

    /** Gives this task's share of the budget back (the task is closed; its stores stay with the changelog). */
    void release() {
        budget.bytes.addAndGet(-taskBytes);
        taskBytes = 0;
        bySession.clear();
        byCamera.clear();
    }
}
