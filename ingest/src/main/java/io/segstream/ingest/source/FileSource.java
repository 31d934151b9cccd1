package io.segstream.ingest.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/** A recorded video file decoded by FFmpeg; audio and other streams are ignored. */
public final class FileSource implements FrameSource {

    private final Path file;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private FFmpegFrameGrabber grabber;

    public FileSource(Path file) {
        this.file = file;
    }

    @Override
    public void open() throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("not a readable file");
        }
        if (Files.size(file) == 0) {
            throw new IOException("the file is empty");
        }
        FFmpegLogging.init();
        FFmpegLogging.clearLastError();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(g);
            throw new IOException("FFmpeg cannot read it as video (" + FFmpegLogging.reason(e) + ")", e);
        }
        if (g.getVideoStream() < 0 || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new IOException("it has no video stream");
        }
        grabber = g;
    }

    @Override
    public Optional<DecodedFrame> next() throws IOException {
        Frame frame;
        FFmpegLogging.clearLastError();
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("decoding failed: " + FFmpegLogging.reason(e), e);
        }
        if (frame == null) {
            return Optional.empty();
        }
        return Optional.of(new DecodedFrame(converter.getBufferedImage(frame), frame.timestamp));
    }

    @Override
    public long lengthHint() {
        return grabber.getLengthInVideoFrames();
    }

    @Override
    public double frameRate() {
        return grabber.getFrameRate();
    }

    @Override
    public void close() {
        if (grabber != null) {
            closeQuietly(grabber);
            grabber = null;
        }
        converter.close();
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception ignored) {
            // nothing more to release
        }
    }
}
