package io.segstream.sink.topology;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a transaction must wait for before it commits: the overlay frames and statistics lines of
 * the records processed, which are written on encoder threads. The sink's producers call
 * {@link #awaitWrites()} at the start of every {@code commitTransaction}, so a frame whose offset
 * is committed is in its files even if the process dies right after, while encoding still overlaps
 * the processing of the next records. (With several stream threads a commit also waits for the
 * other threads' frames under way: one frame's encoding each at most.)
 *
 * <p>Kafka Streams 4 flushes the state stores of a task only after its transaction has committed,
 * so a store's flush comes too late for this.
 */
public final class CommitBarrier {

    private final List<Runnable> waits = new CopyOnWriteArrayList<>();

    /** Registers what commits wait for, until {@link #remove}; {@code waitForWrites} may be called from any thread. */
    void add(Runnable waitForWrites) {
        waits.add(waitForWrites);
    }

    void remove(Runnable waitForWrites) {
        waits.remove(waitForWrites);
    }

    /** Waits for the writes of every task's recordings. */
    public void awaitWrites() {
        waits.forEach(Runnable::run);
    }
}
