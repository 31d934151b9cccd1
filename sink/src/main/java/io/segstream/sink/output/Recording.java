package io.segstream.sink.output;

import io.segstream.sink.overlay.H264Mp4Writer;
import io.segstream.sink.overlay.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of one camera session: overlay.mp4 and stats.jsonl in the camera's directory. */
final class Recording implements AutoCloseable {

    static final String VIDEO = "overlay.mp4";
    static final String STATS = "stats.jsonl";
    private static final double DEFAULT_FRAME_RATE = 25;

    private final VideoWriter video;
    private final BufferedWriter stats;

    private Recording(VideoWriter video, BufferedWriter stats) {
        this.video = video;
        this.stats = stats;
    }

    static Recording open(Path cameraDir, int width, int height, double frameRate) throws IOException {
        Files.createDirectories(cameraDir);
        double fps = frameRate > 0 && Double.isFinite(frameRate) ? frameRate : DEFAULT_FRAME_RATE;
        VideoWriter video = new H264Mp4Writer(cameraDir.resolve(VIDEO), width, height, fps, "veryfast");
        try {
            return new Recording(video, Files.newBufferedWriter(cameraDir.resolve(STATS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            video.close();
            throw e;
        }
    }

    void append(BufferedImage overlay, String statsJson) throws IOException {
        video.write(overlay);
        stats.write(statsJson);
        stats.newLine();
    }

    long frames() {
        return video.frames();
    }

    @Override
    public void close() throws IOException {
        try (stats) {
            video.close();
        }
    }
}
