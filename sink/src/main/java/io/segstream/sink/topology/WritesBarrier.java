package io.segstream.sink.topology;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A state store that holds nothing: Kafka Streams flushes every store of a task before it commits
 * the task's offsets, and this one's flush waits until the overlay frames of the records processed
 * so far are in their files. So a frame that is committed is in its file, even if the process dies
 * right after, while encoding still overlaps the processing of the next records.
 */
final class WritesBarrier implements StateStore {

    static final String NAME = "overlay-writes";

    private volatile Runnable barrier = () -> { };
    private boolean open;

    /** What a flush waits for. */
    void onFlush(Runnable waitForWrites) {
        this.barrier = waitForWrites;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void flush() {
        barrier.run();
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    static StoreBuilder<WritesBarrier> builder() {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<WritesBarrier> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<WritesBarrier> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<WritesBarrier> withLoggingEnabled(Map<String, String> config) {
                return this;
            }

            @Override
            public StoreBuilder<WritesBarrier> withLoggingDisabled() {
                return this;
            }

            @Override
            public WritesBarrier build() {
                return new WritesBarrier();
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return NAME;
            }
        };
    }
}
