package io.segstream.ingest.live;

import io.segstream.ingest.camera.Camera;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
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
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A live camera: latency beats completeness, and it never gives up.
 *
 * <p>A reader thread decodes and hands copies of the frames to a sender thread through
 * {@link LatestFrames}, so decoding never waits for Kafka: when Kafka is slower than the camera, the
 * oldest waiting frame is dropped and counted. Each connection is a new stream session, closed with
 * an end-of-stream marker when it ends. A source that fails or ends is reopened after an exponential
 * backoff with jitter, forever. {@link #checkStall} (called by the process's watchdog) restarts a
 * source that has delivered no frame for the stall timeout: it starts a fresh reader and abandons
 * the stuck one, which exits as soon as FFmpeg's own I/O timeout returns control to it.
 */
public final class LiveCamera implements Camera {

    private static final Logger LOG = LoggerFactory.getLogger(LiveCamera.class);

    private final CameraSpec camera;
    private final IngestConfig config;
    private final FramePublisher publisher;
    private final CameraMetrics metrics;
    private final LatestFrames queue;
    private final Semaphore unacked;
    private final Backoff backoff;
    private final FrameSourceFactory sources;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger readersAlive = new AtomicInteger();
    private final AtomicLong sessions = new AtomicLong();
    private final List<UUID> endedSessions = new CopyOnWriteArrayList<>();
    private final CompletableFuture<IngestResult> result = new CompletableFuture<>();
    private volatile CameraStatus.State state = CameraStatus.State.CONNECTING;
    private volatile long progressNanos = System.nanoTime();
    private volatile long lastFrameNanos;
    private volatile boolean stopped;
    private volatile String lastError;
    private Thread sender;
    /** Frames published ahead of the segmenters, when they are known; the others are dropped. */
    private final Optional<InFlightWindow> window;

    private long droppedAhead;
    private long droppedReportedAt = System.nanoTime();

    public LiveCamera(CameraSpec camera, IngestConfig config, FramePublisher publisher, CameraMetrics metrics) {
        this(camera, config, publisher, metrics, Optional.empty());
    }

    /**
     * @param segmented the segmenters' committed offsets: with them and a {@code liveAhead} bound, at
     *                  most that many frames are published ahead of the segmenters, and the camera's
     *                  other frames are dropped before they are encoded
     */
    public LiveCamera(
            CameraSpec camera,
            IngestConfig config,
            FramePublisher publisher,
            CameraMetrics metrics,
            Optional<SegmentedOffsets> segmented) {
        this(camera, config, publisher, metrics, segmented, FrameSourceFactory.FFMPEG);
    }

    /** As above, its sources made by {@code sources}. */
    public LiveCamera(
            CameraSpec camera,
            IngestConfig config,
            FramePublisher publisher,
            CameraMetrics metrics,
            Optional<? extends Segmented> segmented,
            FrameSourceFactory sources) {
        this.sources = sources;
        this.window = config.liveAhead() == 0
                ? Optional.empty()
                : segmented.map(o -> new InFlightWindow(camera.id(), config.liveAhead(), o));
        this.camera = camera;
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
        this.queue = new LatestFrames(config.liveQueue());
        this.unacked = new Semaphore(config.liveMaxUnacked());
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
    }

    /** Starts reading; the future completes when the camera is closed. */
    @Override
    public CompletableFuture<IngestResult> start() {
        LOG.info("Camera {}: live {} source {}", camera.id(), camera.source().kind(), camera.input());
        sender = daemon("sender", this::sendLoop);
        sender.start();
        startReader();
        return result;
    }

    private void startReader() {
        int gen = generation.incrementAndGet();
        daemon("reader-" + gen, () -> readLoop(gen)).start();
    }

    private Thread daemon(String role, Runnable body) {
        Thread t = new Thread(
                () -> {
                    MDC.put("camera", camera.id());
                    body.run();
                },
                "ingest-" + camera.id() + "-" + role);
        t.setDaemon(true);
        return t;
    }

    private boolean current(int gen) {
        return !stopped && generation.get() == gen;
    }

    private void readLoop(int gen) {
        readersAlive.incrementAndGet();
        try {
            while (current(gen)) {
                connectAndRead(gen);
                if (!current(gen)) {
                    break;
                }
                metrics.reconnect();
                Duration wait;
                synchronized (backoff) {
                    wait = backoff.next();
                }
                state = CameraStatus.State.WAITING;
                LOG.info("Camera {}: reconnecting to {} in {} ms", camera.id(), camera.input(), wait.toMillis());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            readersAlive.decrementAndGet();
        }
    }

    private void connectAndRead(int gen) {
        state = CameraStatus.State.CONNECTING;
        progressNanos = System.nanoTime();
        UUID session = null;
        FrameSource source = sources.live(camera.source(), config.ioTimeout(), camera.maxSize());
        try {
            source.open();
            if (!current(gen)) {
                return;
            }
            session = UUID.randomUUID();
            sessions.incrementAndGet();
            state = CameraStatus.State.STREAMING;
            progressNanos = System.nanoTime();
            LOG.info("Camera {}: connected to {}, session {}", camera.id(), camera.input(), session);
            read(gen, source, session);
            if (current(gen)) {
                lastError = "the stream ended, or sent nothing for "
                        + config.ioTimeout().toMillis() + " ms";
                LOG.warn("Camera {}: {}: {}", camera.id(), camera.input(), lastError);
            }
        } catch (IOException e) {
            metrics.failure();
            if (current(gen)) {
                lastError = e.getMessage();
                boolean firstOfStreak;
                synchronized (backoff) {
                    firstOfStreak = backoff.failures() == 0;
                }
                String what = session == null ? "cannot open " : "lost ";
                if (firstOfStreak) {
                    LOG.error("Camera {}: {}{}: {}", camera.id(), what, camera.input(), e.getMessage());
                } else {
                    LOG.warn("Camera {}: {}{}: {}", camera.id(), what, camera.input(), e.getMessage());
                }
            }
        } finally {
            if (session != null) {
                queue.endSession(new SessionEnd(session)); // before closing, which may fail or block
            }
            source.close();
        }
    }

    private void read(int gen, FrameSource source, UUID session) throws IOException {
        FrameSampler sampler = new FrameSampler(camera.targetFps());
        long behindSince = 0;
        long lastPts = Long.MIN_VALUE;
        long lastWantedNanos = 0;
        Optional<Duration> publishInterval = Optional.empty();
        boolean delivered = false;
        boolean paced = !camera.source().kind().liveByDefault();
        long firstPts = Long.MIN_VALUE;
        long startedNanos = System.nanoTime();
        while (current(gen)) {
            long t0 = System.nanoTime();
            // the segmenters are the live-ahead bound behind: this frame would be dropped, so it is
            // decoded (later frames refer to it) but not converted, copied or queued; when they stay
            // behind, only key frames are decoded until one is let through
            boolean wanted = window.isEmpty() || window.get().hasRoom();
            if (wanted) {
                behindSince = 0;
            } else if (behindSince == 0) {
                behindSince = t0;
            }
            DecodePlan.Read read = DecodePlan.next(
                    wanted,
                    Duration.ofNanos(wanted ? 0 : t0 - behindSince),
                    source.keyFrameInterval(),
                    publishInterval);
            Optional<DecodedFrame> next = Optional.empty();
            OptionalLong pts;
            if (read == DecodePlan.Read.NEXT_KEY_FRAME) {
                next = source.nextKeyFrame();
                wanted = window.isEmpty() || window.get().hasRoom();
                pts = next.isEmpty()
                        ? OptionalLong.empty()
                        : OptionalLong.of(next.get().ptsMicros());
                if (pts.isPresent() && lastPts != Long.MIN_VALUE && source.frameRate() > 0) {
                    // the packets between the last frame read and this key frame went undecoded
                    long between = Math.round((pts.getAsLong() - lastPts) * source.frameRate() / 1e6) - 1;
                    metrics.skippedUndecoded(Math.max(0, Math.min(between, 10_000)));
                }
                next = wanted ? next : Optional.empty();
            } else if (read == DecodePlan.Read.DECODE) {
                next = source.next();
                pts = next.isEmpty()
                        ? OptionalLong.empty()
                        : OptionalLong.of(next.get().ptsMicros());
            } else {
                pts = source.skip();
            }
            if (pts.isPresent()) {
                lastPts = pts.getAsLong();
            }
            if (next.isPresent()) {
                long now = System.nanoTime();
                if (lastWantedNanos != 0) {
                    publishInterval =
                            Optional.of(DecodePlan.smoothed(publishInterval, Duration.ofNanos(now - lastWantedNanos)));
                }
                lastWantedNanos = now;
            }
            if (pts.isEmpty() || !current(gen)) {
                return;
            }
            if (paced) {
                // a file played as a live camera: in real time, as a camera would send it
                firstPts = firstPts == Long.MIN_VALUE ? pts.getAsLong() : firstPts;
                long due = startedNanos + (pts.getAsLong() - firstPts) * 1000;
                sleepUntil(due);
            }
            long now = System.nanoTime();
            progressNanos = now;
            lastFrameNanos = now;
            metrics.decoded(Duration.ofNanos(now - t0));
            if (!delivered) {
                delivered = true;
                synchronized (backoff) {
                    backoff.reset();
                }
            }
            if (next.isEmpty()) {
                dropAhead();
                continue;
            }
            DecodedFrame frame = next.get();
            if (!sampler.keep(frame.ptsMicros())) {
                metrics.droppedBySampling();
                continue;
            }
            Pending p =
                    new Pending(session, frame.picture().copy(), frame.ptsMicros(), nowMicros(), source.frameRate());
            if (queue.offer(p) > 0) {
                metrics.droppedBecauseKafkaIsSlow();
            }
        }
    }

    /**
     * Restarts the source when it has delivered nothing for the stall timeout (or has been
     * connecting for longer than the stall and I/O timeouts together). Returns whether it did.
     */
    @Override
    public boolean checkStall(long nowNanos) {
        CameraStatus.State s = state;
        Duration limit = switch (s) {
            case STREAMING -> config.stallTimeout();
            case CONNECTING -> config.stallTimeout().plus(config.ioTimeout());
            default -> null;
        };
        if (stopped || limit == null || nowNanos - progressNanos < limit.toNanos()) {
            return false;
        }
        lastError = "no frame for " + Duration.ofNanos(nowNanos - progressNanos).toMillis() + " ms";
        MDC.put("camera", camera.id());
        LOG.warn("Camera {}: {} from {}; restarting the source", camera.id(), lastError, camera.input());
        metrics.reconnect();
        progressNanos = nowNanos;
        MDC.remove("camera");
        startReader();
        return true;
    }

    private void sendLoop() {
        PictureEncoder encoder = PictureEncoder.of(camera.encoding(), camera.jpegQuality());
        UUID session = null;
        long sequence = 0;
        try {
            // a session end waiting alone still has to go out: it is the session's end-of-stream record
            while (!stopped || readersAlive.get() > 0 || !queue.isEmpty()) {
                Optional<LatestFrames.Item> item = queue.poll(200);
                if (item.isEmpty()) {
                    continue;
                }
                if (item.get() instanceof Pending p) {
                    if (!p.session().equals(session)) {
                        if (session != null) {
                            // a new session before the last one's end: its reader was abandoned (a
                            // stall) and hands its end on only when FFmpeg returns; it ends here, in order
                            endSession(session, sequence);
                        }
                        session = p.session();
                        sequence = 0;
                    }
                    if (send(encoder, p, sequence)) {
                        sequence++;
                    }
                } else if (item.get() instanceof SessionEnd end && end.session().equals(session)) {
                    endSession(session, sequence);
                    session = null;
                }
            }
            if (session != null) {
                // its reader stopped without handing on the session's end: the session still ends
                endSession(session, sequence);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            encoder.close();
        }
    }

    private void endSession(UUID session, long frames) {
        try {
            publisher.endOfStream(camera.id(), new EndOfStream(session, frames), (md, e) -> logFailure(e));
        } catch (RuntimeException e) { // the producer closed under a camera that was still stopping
            logFailure(e);
        }
        endedSessions.add(session);
    }

    /** Publishes a frame; false when the camera stopped while Kafka still held back earlier frames (it is dropped). */
    private boolean send(PictureEncoder encoder, Pending p, long sequence) throws InterruptedException {
        if (window.isPresent() && !window.get().tryAcquire()) {
            dropAhead();
            return false;
        }
        while (!unacked.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (stopped && readersAlive.get() == 0) {
                window.ifPresent(InFlightWindow::failed);
                return false;
            }
        }
        byte[] picture = encoder.encode(p.picture());
        FrameMeta meta = new FrameMeta(
                p.session(),
                sequence,
                p.ptsMicros(),
                p.captureMicros(),
                p.picture().width(),
                p.picture().height(),
                camera.encoding(),
                -1,
                p.frameRate(),
                true);
        long sentAt = System.nanoTime();
        try {
            publisher.publish(camera.id(), meta, picture, camera.scale(), (md, e) -> {
                unacked.release();
                if (e == null) {
                    window.ifPresent(w -> w.acknowledged(md));
                    metrics.published(Duration.ofNanos(System.nanoTime() - sentAt));
                } else {
                    window.ifPresent(InFlightWindow::failed);
                    logFailure(e);
                }
            });
        } catch (RuntimeException e) {
            unacked.release();
            window.ifPresent(InFlightWindow::failed);
            logFailure(e);
        }
        return true;
    }

    /** A frame not published because the segmenters are {@code liveAhead} frames behind: counted, and said every 10 s. */
    private synchronized void dropAhead() {
        metrics.droppedAhead();
        droppedAhead++;
        long now = System.nanoTime();
        if (now - droppedReportedAt >= TimeUnit.SECONDS.toNanos(10)) {
            LOG.info(
                    "Camera {}: {} frames not published in the last {} s: the segmenters are {} frames behind",
                    camera.id(),
                    droppedAhead,
                    TimeUnit.NANOSECONDS.toSeconds(now - droppedReportedAt),
                    window.map(InFlightWindow::inFlight).orElse(0));
            droppedAhead = 0;
            droppedReportedAt = now;
        }
    }

    private void logFailure(Exception e) {
        if (e != null) {
            LOG.warn("Camera {}: a record could not be published to Kafka: {}", camera.id(), e.getMessage());
        }
    }

    @Override
    public CameraStatus status() {
        return CameraStatus.of(
                camera,
                true,
                stopped ? CameraStatus.State.STOPPED : state,
                lastFrameNanos,
                metrics.publishedCount(),
                metrics.droppedCount(),
                metrics.reconnectCount(),
                sessions.get(),
                lastError);
    }

    /** Stops reading, sends what waits and the end of the current session, then completes the result. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        generation.incrementAndGet();
        try {
            sender.join(config.ioTimeout().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = CameraStatus.State.STOPPED;
        result.complete(new IngestResult(
                camera.id(), camera.input(), endedSessions, metrics.publishedCount(), Optional.empty()));
    }

    private static void sleepUntil(long dueNanos) throws IOException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
