package io.segstream.ingest;

import io.segstream.ingest.encode.PictureEncoder;
import io.segstream.ingest.publish.FramePublisher;
import io.segstream.ingest.source.DecodedFrame;
import io.segstream.ingest.source.FileSource;
import io.segstream.ingest.source.FrameSource;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The ingest service: decodes each camera's input on its own thread and publishes its frames,
 * ending a recorded input with the end-of-stream marker. A camera whose input fails is reported
 * with one error line; the others keep running.
 */
public final class Ingest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

    private final FramePublisher publisher;
    private final ExecutorService threads;

    public Ingest(String bootstrapServers, Topics topics) {
        this.publisher = new FramePublisher(bootstrapServers, topics);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ingest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads a recorded input to its end on a thread of its own. */
    public CompletableFuture<IngestResult> start(CameraSpec camera) {
        return CompletableFuture.supplyAsync(() -> runRecorded(camera), threads);
    }

    IngestResult runRecorded(CameraSpec camera) {
        MDC.put("camera", camera.id());
        try (FrameSource source = new FileSource(Path.of(camera.input()));
             PictureEncoder encoder = PictureEncoder.of(camera.encoding(), camera.jpegQuality())) {
            try {
                source.open();
            } catch (IOException e) {
                return failed(camera, Optional.empty(), 0, "cannot open input " + camera.input() + ": " + e.getMessage());
            }
            UUID session = UUID.randomUUID();
            LOG.info("Camera {}: reading {} ({} frames expected at {} fps), session {}", camera.id(), camera.input(),
                    source.lengthHint(), String.format("%.2f", source.frameRate()), session);
            long published = 0;
            String error = null;
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            Consumer<Exception> onFailure = e -> sendFailure.compareAndSet(null, e);
            try {
                Optional<DecodedFrame> next;
                while ((next = source.next()).isPresent() && sendFailure.get() == null) {
                    publish(camera, source, encoder, session, published, next.get(), onFailure);
                    published++;
                }
            } catch (IOException e) {
                error = "input " + camera.input() + " failed after " + published + " frames: " + e.getMessage();
            }
            publisher.endOfStream(camera.id(), new EndOfStream(session, published), onFailure);
            publisher.flush();
            if (sendFailure.get() != null) {
                return failed(camera, Optional.empty(), published, "frames of " + camera.input()
                        + " could not be published to Kafka: " + sendFailure.get().getMessage());
            }
            if (error != null) {
                return failed(camera, Optional.of(session), published, error);
            }
            LOG.info("Camera {}: {} frames published, end of stream sent", camera.id(), published);
            return new IngestResult(camera.id(), camera.input(), Optional.of(session), published, Optional.empty());
        } catch (KafkaException e) {
            return failed(camera, Optional.empty(), 0, "cannot publish to Kafka: " + e.getMessage());
        } finally {
            MDC.remove("camera");
        }
    }

    private void publish(CameraSpec camera, FrameSource source, PictureEncoder encoder, UUID session,
                         long sequence, DecodedFrame frame, Consumer<Exception> onFailure) {
        byte[] picture = encoder.encode(frame.image());
        FrameMeta meta = new FrameMeta(session, sequence, frame.ptsMicros(), nowMicros(),
                frame.image().getWidth(), frame.image().getHeight(), camera.encoding(),
                source.lengthHint(), source.frameRate());
        publisher.publish(camera.id(), meta, picture, onFailure);
    }

    private static IngestResult failed(CameraSpec camera, Optional<UUID> session, long frames, String reason) {
        LOG.error("Camera {}: {}", camera.id(), reason);
        return new IngestResult(camera.id(), camera.input(), session, frames, Optional.of(reason));
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
