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

    private OverlayFile(Path video, VideoWriter writer, BufferedWriter stats, long startMicros) {
        this.video = video;
        this.writer = writer;
        this.stats = stats;
        this.startMicros = startMicros;
    }

    static OverlayFile open(Path video, Path stats, int width, int height, double frameRate, long startMicros)
            throws IOException {
        Files.createDirectories(video.getParent());
        double fps = frameRate > 0 && Double.isFinite(frameRate) ? frameRate : DEFAULT_FRAME_RATE;
        VideoWriter writer = new H264Mp4Writer(video, width, height, fps, H264Mp4Writer.PRESET);
        try {
            return new OverlayFile(video, writer, Files.newBufferedWriter(stats, StandardCharsets.UTF_8), startMicros);
        } catch (IOException e) {
            writer.close();
            throw e;
        }
    }

    void append(BufferedImage overlay, String statsJson) throws IOException {
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
