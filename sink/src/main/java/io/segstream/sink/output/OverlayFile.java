package io.segstream.sink.output;

import io.segstream.media.H264Mp4Writer;
import io.segstream.media.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One overlay video with its statistics lines beside it, one line per frame, each written once its
 * frame is in the video and flushed, so that a file whose process died still pairs up with its
 * lines.
 */
final class OverlayFile implements AutoCloseable {

    private static final double DEFAULT_FRAME_RATE = 25;

    private final Path video;
    private final VideoWriter writer;
    private final BufferedWriter stats;
    private final long startMicros;
    private final int width;
    private final int height;
    private UUID session;
    private volatile long lastAppendNanos = System.nanoTime();

    private OverlayFile(
            Path video,
            VideoWriter writer,
            BufferedWriter stats,
            long startMicros,
            int width,
            int height,
            UUID session) {
        this.video = video;
        this.writer = writer;
        this.stats = stats;
        this.startMicros = startMicros;
        this.width = width;
        this.height = height;
        this.session = session;
    }

    static OverlayFile open(
            Path video, Path stats, int width, int height, double frameRate, long startMicros, UUID session)
            throws IOException {
        Files.createDirectories(video.getParent());
        double fps = frameRate > 0 && Double.isFinite(frameRate) ? frameRate : DEFAULT_FRAME_RATE;
        VideoWriter writer = new H264Mp4Writer(video, width, height, fps, H264Mp4Writer.PRESET);
        try {
            return new OverlayFile(
                    video,
                    writer,
                    Files.newBufferedWriter(stats, StandardCharsets.UTF_8),
                    startMicros,
                    width,
                    height,
                    session);
        } catch (IOException e) {
            writer.close();
            throw e;
        }
    }

    void append(BufferedImage overlay, String statsJson) throws IOException {
        lastAppendNanos = System.nanoTime();
        writer.write(overlay, () -> {
            try {
                stats.write(statsJson);
                stats.newLine();
                stats.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot write the statistics beside " + video + ": " + e.getMessage(), e);
            }
        });
    }

    /** Waits until every frame appended is in the video and its line beside it. */
    void awaitWritten() throws IOException {
        writer.awaitWritten();
    }

    Path video() {
        return video;
    }

    long frames() {
        return writer.frames();
    }

    /** Whether a picture of this size can go on in this video. */
    boolean fits(BufferedImage overlay) {
        return overlay.getWidth() == width && overlay.getHeight() == height;
    }

    /** The session of the last frame appended. */
    UUID session() {
        return session;
    }

    void session(UUID s) {
        session = s;
    }

    /** {@link System#nanoTime()} of the last append (or of the opening). */
    long lastAppendNanos() {
        return lastAppendNanos;
    }

    /** Capture time of the first frame, µs since the epoch. */
    long startMicros() {
        return startMicros;
    }

    @Override
    public void close() throws IOException {
        try (stats) {
            writer.close();
        }
    }
}
