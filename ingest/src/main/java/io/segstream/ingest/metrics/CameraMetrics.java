package io.segstream.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One camera's meters, tagged {@code camera=<id>}: frames decoded, published, dropped (by reason),
 * reconnects, decode and publish times, and the time of its last frame. Rates are the counters'
 * {@code rate()} in Prometheus.
 */
public final class CameraMetrics {

    private final Counter decoded;
    private final Counter published;
    private final Counter droppedQueue;
    private final Counter droppedSampling;
    private final Counter droppedAhead;
    private final Counter undecoded;
    private final Counter reconnects;
    private final Counter failures;
    private final Timer decodeTime;
    private final Timer publishTime;
    private final AtomicLong lastFrameEpochMillis = new AtomicLong();

    CameraMetrics(MeterRegistry registry, String camera) {
        Tags tags = Tags.of("camera", camera);
        decoded = counter(registry, "frames.decoded", tags, "Frames decoded from the source");
        published = counter(registry, "frames.published", tags, "Frames acknowledged by Kafka");
        String dropped =
                "Frames dropped: the oldest waiting frame of a live source when Kafka is slower than the camera,"
                        + " or frames skipped to reach the target frame rate";
        droppedQueue = counter(registry, "frames.dropped", tags.and("reason", "kafka-slow"), dropped);
        droppedSampling = counter(registry, "frames.dropped", tags.and("reason", "sampling"), dropped);
        droppedAhead = counter(registry, "frames.dropped", tags.and("reason", "segmenters-behind"), dropped);
        undecoded = counter(
                registry,
                "frames.undecoded",
                tags,
                "Live frames dropped undecoded: the packets before a key frame while the segmenters were behind");
        reconnects = counter(
                registry, "reconnects", tags, "Times a live source was reopened after it failed, ended or stalled");
        failures = counter(registry, "failures", tags, "Failed attempts to open or read the source");
        decodeTime = Timer.builder("segstream.ingest.decode")
                .tags(tags)
                .description("Time to decode one frame")
                .register(registry);
        publishTime = Timer.builder("segstream.ingest.publish")
                .tags(tags)
                .description("Time from handing a frame to the producer to its acknowledgement")
                .register(registry);
        registry.gauge(
                "segstream.ingest.last.frame.age.seconds",
                Tags.of("camera", camera),
                lastFrameEpochMillis,
                t -> t.get() == 0 ? Double.NaN : (System.currentTimeMillis() - t.get()) / 1000.0);
    }

    private static Counter counter(MeterRegistry registry, String name, Tags tags, String description) {
        return Counter.builder("segstream.ingest." + name)
                .tags(tags)
                .description(description)
                .register(registry);
    }

    public void decoded(Duration took) {
        decoded.increment();
        decodeTime.record(took);
        lastFrameEpochMillis.set(System.currentTimeMillis());
    }

    public void published(Duration took) {
        published.increment();
        publishTime.record(took);
    }

    public void droppedBecauseKafkaIsSlow() {
        droppedQueue.increment();
    }

    public void droppedBySampling() {
        droppedSampling.increment();
    }

    /** A live frame not published because the segmenters are the live-ahead bound behind. */
    public void droppedAhead() {
        droppedAhead.increment();
    }

    /** Live frames not published because the segmenters were behind. */
    public void skippedUndecoded(long frames) {
        undecoded.increment(frames);
    }

    public long undecodedCount() {
        return (long) undecoded.count();
    }

    public long droppedAheadCount() {
        return (long) droppedAhead.count();
    }

    public void reconnect() {
        reconnects.increment();
    }

    public void failure() {
        failures.increment();
    }

    public long decodedCount() {
        return (long) decoded.count();
    }

    public long publishedCount() {
        return (long) published.count();
    }

    public long droppedCount() {
        return (long) droppedQueue.count();
    }

    public long failureCount() {
        return (long) failures.count();
    }

    public long reconnectCount() {
        return (long) reconnects.count();
    }
}
