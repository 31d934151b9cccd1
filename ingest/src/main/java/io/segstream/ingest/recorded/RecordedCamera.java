package io.segstream.ingest.recorded;

import io.segstream.ingest.camera.Camera;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.camera.Resume;
import io.segstream.ingest.delivery.Backoff;
import io.segstream.ingest.delivery.InFlightWindow;
import io.segstream.ingest.delivery.Segmented;
import io.segstream.ingest.delivery.SegmentedOffsets;
import io.segstream.ingest.encode.PictureEncoder;
import io.segstream.ingest.metrics.CameraMetrics;
import io.segstream.ingest.publish.FramePublisher;
import io.segstream.ingest.source.DecodedFrame;
import io.segstream.ingest.source.FrameSampler;
import io.segstream.ingest.source.FrameSource;
import io.segstream.ingest.source.FrameSourceFactory;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads one recorded input to its end, once: every decoded frame (after sampling) is published in
 * order, then the end-of-stream marker. Nothing is dropped; with a bound set, at most that many
 * frames wait for the segmenters at any time.
 */
public final class RecordedCamera implements Camera {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedCamera.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** Decoded images in use at once: being decoded, waiting, being encoded. They are handed over without copying. */
    private static final int BUFFERS = 3;

    private final CameraSpec camera;
    private final IngestConfig config;
    private final FramePublisher publisher;
    private final CameraMetrics metrics;
    private final Optional<? extends Segmented> segmented;
    private final Executor threads;
    private final FrameSourceFactory sources;
    private final Resume resume;
    private volatile boolean stopRequested;
    private volatile boolean endOnStop;
    private volatile Thread reader;
    private volatile CameraStatus.State state = CameraStatus.State.CONNECTING;
    private volatile String lastError;
    private volatile long lastFrameNanos;

    /** @param threads where the input is read (the ingest process interrupts them when it closes) */
    public RecordedCamera(
            CameraSpec camera,
            IngestConfig config,
            FramePublisher publisher,
            CameraMetrics metrics,
            Optional<SegmentedOffsets> segmented,
            Executor threads) {
        this(camera, config, publisher, metrics, segmented, threads, FrameSourceFactory.FFMPEG, Resume.fresh());
    }

    /** As above, its source made by {@code sources}, starting where {@code resume} says. */
    public RecordedCamera(
            CameraSpec camera,
            IngestConfig config,
            FramePublisher publisher,
            CameraMetrics metrics,
            Optional<? extends Segmented> segmented,
            Executor threads,
            FrameSourceFactory sources,
            Resume resume) {
        this.sources = sources;
        this.resume = resume;
        this.threads = threads;
        this.camera = camera;
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
        this.segmented = segmented;
    }

    @Override
    public CompletableFuture<IngestResult> start() {
        return CompletableFuture.supplyAsync(this::run, threads);
    }

    /**
     * Stops reading without an end of stream: the input is handed over (another ingest instance goes
     * on with its session). Whatever was sent is flushed by the caller.
     */
    @Override
    public void close() {
        stopRequested = true;
        Thread t = reader;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Stops reading and ends the session with its end of stream: the camera was removed. */
    @Override
    public void end() {
        endOnStop = true;
        close();
    }

    IngestResult run() {
        MDC.put("camera", camera.id());
        reader = Thread.currentThread();
        if (stopRequested) {
            return stopped(0);
        }
        try (FrameSource source = sources.recorded(camera.source(), config.ioTimeout(), camera.maxSize(), BUFFERS);
                PictureEncoder encoder = PictureEncoder.of(camera.encoding(), camera.jpegQuality())) {
            Optional<String> notOpened = open(source);
            if (notOpened.isPresent()) {
                return failed(Optional.empty(), 0, notOpened.get());
            }
            state = CameraStatus.State.STREAMING;
            IngestResult result = read(source, encoder);
            if (result.succeeded()) {
                state = CameraStatus.State.FINISHED;
            }
            return result;
        } catch (IllegalArgumentException e) {
            return failed(Optional.empty(), 0, "bad source " + camera.input() + ": " + e.getMessage());
        } catch (KafkaException e) {
            return failed(Optional.empty(), 0, "cannot publish to Kafka: " + e.getMessage());
        } catch (InterruptedException e) {
            if (stopRequested) {
                return stopped(metrics.publishedCount());
            }
            Thread.currentThread().interrupt();
            return failed(Optional.empty(), 0, "stopped before " + camera.input() + " was read to its end");
        } finally {
            reader = null;
            MDC.remove("camera");
        }
    }

    /** Opens the source, retrying a network input; the reason it could not, if it could not. */
    private Optional<String> open(FrameSource source) throws InterruptedException {
        int attempts = camera.source().kind().network() ? config.recordedAttempts() : 1;
        Backoff backoff = new Backoff(config.backoffMin(), config.backoffMax());
        for (int attempt = 1; ; attempt++) {
            try {
                source.open();
                return Optional.empty();
            } catch (IOException e) {
                metrics.failure();
                if (attempt >= attempts) {
                    return Optional.of("cannot open input " + camera.input() + ": " + e.getMessage()
                            + (attempts > 1 ? " (" + attempts + " attempts)" : ""));
                }
                Duration wait = backoff.next();
                LOG.warn(
                        "Camera {}: cannot open input {}: {}; retry {} of {} in {} ms",
                        camera.id(),
                        camera.input(),
                        e.getMessage(),
                        attempt,
                        attempts - 1,
                        wait.toMillis());
                Thread.sleep(wait.toMillis());
            }
        }
    }

    private IngestResult read(FrameSource source, PictureEncoder encoder) throws InterruptedException {
        UUID session = resume.session();
        long skip = resume.nextSequence();
        long expected = source.lengthHint();
        LOG.info(
                "Camera {}: reading {} ({} frames expected at {} fps), session {}{}",
                camera.id(),
                camera.input(),
                expected < 0 ? "?" : expected,
                String.format("%.2f", source.frameRate()),
                session,
                skip == 0 ? "" : ", going on after frame " + (skip - 1) + " (published before)");
        InFlightWindow window = new InFlightWindow(
                camera.id(), segmented.isPresent() ? config.maxInFlight() : 0, segmented.orElse(null));
        FrameSampler sampler = new FrameSampler(camera.targetFps());
        Sender sender = new Sender(source, encoder, session, window, skip);
        Thread sending = new Thread(sender, "ingest-" + camera.id() + "-send");
        sending.setDaemon(true);
        sending.start();
        long decoded = 0;
        long kept = 0;
        String error = null;
        long reportAt = System.nanoTime() + PROGRESS_EVERY.toNanos();
        try {
            while (sender.failure.get() == null) {
                long t0 = System.nanoTime();
                Optional<DecodedFrame> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                decoded++;
                lastFrameNanos = System.nanoTime();
                metrics.decoded(Duration.ofNanos(System.nanoTime() - t0));
                DecodedFrame frame = next.get();
                if (!sampler.keep(frame.ptsMicros())) {
                    metrics.droppedBySampling();
                    continue;
                }
                if (kept++ < skip) {
                    continue; // published before this instance took the input over
                }
                sender.queue.put(next);
                if (System.nanoTime() >= reportAt) {
                    reportAt = System.nanoTime() + PROGRESS_EVERY.toNanos();
                    LOG.info(
                            "Camera {}: {} of {} frames read ({} published)",
                            camera.id(),
                            decoded,
                            expected < 0 ? "?" : expected,
                            sender.published);
                }
            }
        } catch (IOException e) {
            error = "input " + camera.input() + " failed after " + decoded + " frames: " + e.getMessage();
        } catch (InterruptedException e) {
            sending.interrupt();
            if (stopRequested) {
                sending.join(config.ioTimeout().toMillis());
                if (endOnStop) {
                    publisher.endOfStream(camera.id(), new EndOfStream(session, sender.published), (md, x) -> {});
                    LOG.info("Camera {}: removed after {} frames, end of stream sent", camera.id(), sender.published);
                }
            }
            throw e;
        }
        sender.queue.put(Optional.empty());
        sending.join();
        long published = sender.published;
        if (error == null && expected > 0 && decoded < expected - Math.max(2, expected / 20)) {
            error = "input " + camera.input() + " ended after " + decoded + " of the " + expected
                    + " frames its header announces: the file is truncated";
        }
        publisher.endOfStream(camera.id(), new EndOfStream(session, published), (md, e) -> {
            if (e != null) {
                sender.failure.compareAndSet(null, e);
            }
        });
        publisher.flush();
        if (sender.failure.get() != null) {
            return failed(
                    Optional.of(session),
                    published,
                    "frames of " + camera.input() + " could not be published to Kafka: "
                            + sender.failure.get().getMessage());
        }
        if (error != null) {
            return failed(Optional.of(session), published, error);
        }
        LOG.info("Camera {}: {} frames published, end of stream sent", camera.id(), published);
        return new IngestResult(camera.id(), camera.input(), List.of(session), published, Optional.empty());
    }

    /**
     * Encodes and publishes on a thread of its own, so that decoding the next frame overlaps with
     * encoding this one. It waits at the in-flight bound; the reader then waits on the full queue,
     * so nothing is dropped.
     */
    private final class Sender implements Runnable {

        /** One frame waits while one is encoded and the reader decodes a third: {@link #BUFFERS} images. */
        final BlockingQueue<Optional<DecodedFrame>> queue = new ArrayBlockingQueue<>(1);

        final AtomicReference<Exception> failure = new AtomicReference<>();
        volatile long published;
        private final FrameSource source;
        private final PictureEncoder encoder;
        private final UUID session;
        private final InFlightWindow window;

        Sender(FrameSource source, PictureEncoder encoder, UUID session, InFlightWindow window, long first) {
            this.published = first;
            this.source = source;
            this.encoder = encoder;
            this.session = session;
            this.window = window;
        }

        @Override
        public void run() {
            MDC.put("camera", camera.id());
            try {
                Optional<DecodedFrame> next;
                while ((next = queue.take()).isPresent()) {
                    if (failure.get() != null) {
                        continue;
                    }
                    window.acquire();
                    send(next.get());
                    published++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                queue.clear();
            }
        }

        private void send(DecodedFrame frame) {
            byte[] picture = encoder.encode(frame.picture());
            FrameMeta meta = new FrameMeta(
                    session,
                    published,
                    frame.ptsMicros(),
                    nowMicros(),
                    frame.picture().width(),
                    frame.picture().height(),
                    camera.encoding(),
                    source.lengthHint(),
                    source.frameRate(),
                    false);
            long sentAt = System.nanoTime();
            publisher.publish(camera.id(), meta, picture, camera.scale(), (md, e) -> {
                if (e == null) {
                    window.acknowledged(md);
                    metrics.published(Duration.ofNanos(System.nanoTime() - sentAt));
                } else {
                    window.failed();
                    failure.compareAndSet(null, e);
                }
            });
        }
    }

    @Override
    public CameraStatus status() {
        return CameraStatus.of(
                camera,
                false,
                state,
                lastFrameNanos,
                metrics.publishedCount(),
                0,
                0,
                state == CameraStatus.State.CONNECTING ? 0 : 1,
                lastError);
    }

    private IngestResult stopped(long frames) {
        state = CameraStatus.State.STOPPED;
        LOG.info(
                "Camera {}: stopped reading {} ({})",
                camera.id(),
                camera.input(),
                endOnStop ? "removed" : "handed over");
        return new IngestResult(camera.id(), camera.input(), List.of(resume.session()), frames, Optional.empty());
    }

    private IngestResult failed(Optional<UUID> session, long frames, String reason) {
        state = CameraStatus.State.FAILED;
        lastError = reason;
        LOG.error("Camera {}: {}", camera.id(), reason);
        return new IngestResult(camera.id(), camera.input(), session.stream().toList(), frames, Optional.of(reason));
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
