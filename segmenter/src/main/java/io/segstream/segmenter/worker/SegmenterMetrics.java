package io.segstream.segmenter.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segstream.protocol.MaskStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A segmenter's meters: frames in, masks out by status, batch sizes, and the time spent decoding
 * frames (preprocess), in the model (inference) and encoding masks (postprocess). The consumer's
 * lag comes from Kafka's own client metrics, bound beside these.
 */
public final class SegmenterMetrics {

    private final MeterRegistry registry;
    private final Counter framesIn;
    private final Map<MaskStatus, Counter> masksOut = new EnumMap<>(MaskStatus.class);
    private final DistributionSummary batchSize;
    private final Timer preprocess;
    private final Timer inference;
    private final Timer postprocess;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();

    public SegmenterMetrics(MeterRegistry registry) {
        this.registry = registry;
        framesIn = Counter.builder("segstream.segmenter.frames.in")
                .description("Frame records taken from the frames topic")
                .register(registry);
        for (MaskStatus s : MaskStatus.values()) {
            masksOut.put(
                    s,
                    Counter.builder("segstream.segmenter.masks.out")
                            .tag("status", s.wireName())
                            .description("Mask records published and acknowledged")
                            .register(registry));
        }
        batchSize = DistributionSummary.builder("segstream.segmenter.batch.size")
                .description("Frames per model call")
                .register(registry);
        preprocess = timer(registry, "preprocess", "Decoding a frame picture");
        inference = timer(registry, "inference", "One model call (a batch)");
        postprocess = timer(registry, "postprocess", "Encoding one mask");
        registry.gauge("segstream.segmenter.frames.held", held);
    }

    private static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder("segstream.segmenter." + name)
                .description(description)
                .register(registry);
    }

    public static SegmenterMetrics inMemory() {
        return new SegmenterMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    void frameIn() {
        framesIn.increment();
    }

    void maskOut(MaskStatus status) {
        masksOut.get(status).increment();
    }

    void batch(int size, Duration took) {
        batchSize.record(size);
        inference.record(took);
    }

    void preprocess(Duration took) {
        preprocess.record(took);
    }

    void postprocess(Duration took) {
        postprocess.record(took);
    }

    /** Frames taken from Kafka and not yet answered: less than two batches, whatever the backlog. */
    void held(int frames) {
        held.set(frames);
        mostHeld.accumulateAndGet(frames, Math::max);
    }

    /** The most frames held at once so far. */
    public int mostHeld() {
        return mostHeld.get();
    }

    public long masks(MaskStatus status) {
        return (long) masksOut.get(status).count();
    }

    public long batches() {
        return batchSize.count();
    }

    public double meanBatchSize() {
        return batchSize.mean();
    }
}
