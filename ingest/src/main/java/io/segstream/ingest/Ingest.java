package io.segstream.ingest;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.segstream.ingest.camera.Camera;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.camera.Resume;
import io.segstream.ingest.delivery.SegmentedOffsets;
import io.segstream.ingest.live.LiveCamera;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.ingest.publish.FramePublisher;
import io.segstream.ingest.recorded.RecordedCamera;
import io.segstream.ingest.source.FrameSourceFactory;
import io.segstream.ingest.source.FrameSources;
import io.segstream.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingest service: many cameras in one process, each on threads of its own, publishing through
 * one idempotent producer. Live cameras reconnect forever under a watchdog; recorded inputs are read
 * to their end with a bound on frames waiting for the segmenters. A camera whose input fails is
 * reported with one error line naming it, its input and the cause; the others keep running.
 */
public final class Ingest implements AutoCloseable {

    private static final Duration WATCHDOG_PERIOD = Duration.ofMillis(250);

    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final FramePublisher publisher;
    private final KafkaClientMetrics producerMetrics;
    private final ExecutorService recordedThreads;
    private final ScheduledExecutorService watchdog;
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<IngestResult>> results = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private SegmentedOffsets segmented;

    public Ingest(String bootstrapServers, Topics topics) {
        this(IngestConfig.defaults(bootstrapServers, topics), IngestMetrics.inMemory());
    }

    public Ingest(IngestConfig config, IngestMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.publisher =
                new FramePublisher(config.bootstrapServers(), config.topics(), config.kafka(), config.partitions());
        this.producerMetrics = new KafkaClientMetrics(publisher.producer());
        producerMetrics.bindTo(metrics.registry());
        AtomicInteger n = new AtomicInteger();
        this.recordedThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ingest-recorded-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(
                this::checkStalls, WATCHDOG_PERIOD.toMillis(), WATCHDOG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a camera. A recorded input's future completes when it has been read to its end (or
     * failed); a live camera's when the service is closed.
     *
     * @throws IllegalArgumentException if a camera of that id is already running, or its source options are invalid
     */
    public CompletableFuture<IngestResult> start(CameraSpec camera) {
        return start(camera, Resume.fresh());
    }

    /**
     * Starts a camera; a recorded input where {@code resume} says (a live camera always starts a new
     * session).
     *
     * @throws IllegalArgumentException if a camera of that id is already running, or its source options are invalid
     */
    public synchronized CompletableFuture<IngestResult> start(CameraSpec camera, Resume resume) {
        if (closed.get()) {
            throw new IllegalStateException("ingest is closed");
        }
        if (cameras.containsKey(camera.id())) {
            throw new IllegalArgumentException("camera id '" + camera.id() + "' is used twice");
        }
        // refuses bad source options (an image sequence's framerate) here, before any thread starts
        FrameSources.create(camera.source(), config.ioTimeout(), camera.maxSize())
                .close();
        Camera c = camera.live()
                ? new LiveCamera(camera, config, publisher, metrics.camera(camera.id()), segmentedOffsets())
                : new RecordedCamera(
                        camera,
                        config,
                        publisher,
                        metrics.camera(camera.id()),
                        segmentedOffsets(),
                        recordedThreads,
                        FrameSourceFactory.FFMPEG,
                        resume);
        cameras.put(camera.id(), c);
        CompletableFuture<IngestResult> result = c.start();
        results.put(camera.id(), result);
        return result;
    }

    /**
     * Stops a camera and forgets it; waits until what it sent is acknowledged, so that another instance
     * taking it over sees every frame it published. With {@code end}, the session ends with its end of
     * stream (the camera was removed); without, a recorded input is handed over as it is.
     *
     * @return whether such a camera was running
     */
    public boolean stop(String id, boolean end) {
        Camera c;
        CompletableFuture<IngestResult> result;
        synchronized (this) {
            c = cameras.remove(id);
            result = results.remove(id);
        }
        if (c == null) {
            return false;
        }
        if (end) {
            c.end();
        } else {
            c.close();
        }
        if (result != null && !c.status().live()) {
            try {
                result.get(config.ioTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // its reader is stuck in a read bounded by the I/O timeout; what it sent is flushed below
            }
        }
        publisher.flush();
        return true;
    }

    /** The ids of the cameras started and not stopped (finished and failed recorded inputs included). */
    public Set<String> cameraIds() {
        return Set.copyOf(cameras.keySet());
    }

    /** Where the cameras' frames go, and where the last of each is read back from. */
    public IngestConfig config() {
        return config;
    }

    private Optional<SegmentedOffsets> segmentedOffsets() {
        if (config.maxInFlight() == 0 && config.liveAhead() == 0) {
            return Optional.empty();
        }
        if (segmented == null) {
            segmented = new SegmentedOffsets(
                    config.bootstrapServers(), config.segmenterGroups(), Duration.ofMillis(200), config.kafka());
        }
        return Optional.of(segmented);
    }

    /** Every camera's status, by camera id. */
    public List<CameraStatus> status() {
        return cameras.values().stream()
                .map(Camera::status)
                .sorted((a, b) -> a.camera().compareTo(b.camera()))
                .toList();
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    private void checkStalls() {
        long now = System.nanoTime();
        cameras.values().forEach(c -> c.checkStall(now));
    }

    /** Stops every camera (live ones send the end of their session), then closes the producer. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchdog.shutdownNow();
        List.copyOf(cameras.values()).parallelStream().forEach(Camera::close);
        recordedThreads.shutdownNow();
        try {
            recordedThreads.awaitTermination(config.ioTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (segmented != null) {
                segmented.close();
            }
        }
        producerMetrics.close();
        publisher.close();
    }
}
