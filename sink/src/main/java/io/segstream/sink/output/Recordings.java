package io.segstream.sink.output;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open recordings of a sink, one per camera session, written under
 * {@code <outputDir>/<camera>/}. A recording opens with its first frame and is finished when its
 * session ends. A new session of the same camera replaces the files of the previous one.
 */
public final class Recordings implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);

    private final Path outputDir;
    private final Map<String, Recording> open = new HashMap<>();

    public Recordings(Path outputDir) {
        this.outputDir = outputDir;
    }

    /** Writes one overlay frame and its statistics line. */
    public void append(String camera, UUID session, BufferedImage overlay, double frameRate, String statsJson) {
        String key = camera + '/' + session;
        try {
            Recording r = open.get(key);
            if (r == null) {
                r = Recording.open(outputDir.resolve(camera), overlay.getWidth(), overlay.getHeight(), frameRate);
                open.put(key, r);
                LOG.info("Camera {}: writing {} and {} in {}", camera, Recording.VIDEO, Recording.STATS, outputDir.resolve(camera));
            }
            r.append(overlay, statsJson);
        } catch (IOException e) {
            throw new UncheckedIOException("camera " + camera + ": cannot write the recording: " + e.getMessage(), e);
        }
    }

    /** Finishes the session's files so that the video plays; returns the frames written. */
    public long finish(String camera, UUID session) {
        Recording r = open.remove(camera + '/' + session);
        if (r == null) {
            return 0;
        }
        try {
            r.close();
        } catch (IOException e) {
            throw new UncheckedIOException("camera " + camera + ": cannot finish the recording: " + e.getMessage(), e);
        }
        LOG.info("Camera {}: recording finished with {} frames in {}", camera, r.frames(), outputDir.resolve(camera));
        return r.frames();
    }

    @Override
    public void close() {
        for (Map.Entry<String, Recording> e : open.entrySet()) {
            try {
                e.getValue().close();
            } catch (IOException ex) {
                LOG.warn("Recording {} could not be closed: {}", e.getKey(), ex.getMessage());
            }
        }
        open.clear();
    }
}
