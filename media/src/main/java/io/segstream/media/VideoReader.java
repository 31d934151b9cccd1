package io.segstream.media;

import io.segstream.protocol.Size;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads the video stream of anything FFmpeg opens (a file, a network stream, a device) as
 * full-range YUV 4:2:0 pictures with their presentation times. Audio and other streams are
 * ignored. Failures are IOExceptions in FFmpeg's own words (its last error line on this thread),
 * without the options the caller added to the input.
 */
public final class VideoReader implements AutoCloseable {

    /**
     * How to open an input.
     *
     * @param input what FFmpeg opens (a path or a URL)
     * @param format FFmpeg's input format when it cannot be guessed (e.g. {@code v4l2}), or empty
     * @param options FFmpeg's options for opening and reading the input
     * @param maxSize pictures are scaled down to fit within it (even sides, aspect ratio kept)
     * @param buffers each decoded picture is reused only {@code buffers} reads later, so that a
     *     reader may hand up to {@code buffers - 1} of them to another thread without copying
     * @param lowDelay the decoder uses slice threads only, so that it holds no frame back
     * @param localFile a local file (its errors read "cannot read it as video", a stream's "cannot open it")
     */
    public record Settings(
            String input,
            Optional<String> format,
            Map<String, String> options,
            Optional<Size> maxSize,
            int buffers,
            boolean lowDelay,
            boolean localFile) {

        public Settings {
            options = Map.copyOf(options);
            if (buffers < 1) {
                throw new IllegalArgumentException("a reader needs at least one buffer, got " + buffers);
            }
        }
    }

    /** A decoded picture (possibly a buffer the reader reuses, see {@link Settings#buffers}) and its presentation time. */
    public record VideoFrame(YuvPicture picture, long ptsMicros) {}

    private final FFmpegFrameGrabber grabber;
    private final boolean localFile;
    private final YuvFrames pixels;
    private long lastKeyPts = Long.MIN_VALUE;
    private Optional<Duration> keyFrameInterval = Optional.empty();

    private VideoReader(FFmpegFrameGrabber grabber, Settings settings) {
        this.grabber = grabber;
        this.localFile = settings.localFile();
        this.pixels = new YuvFrames(settings.buffers());
    }

    /** Opens the input and its video stream; an IOException names why it cannot be read. */
    public static VideoReader open(Settings settings) throws IOException {
        FFmpegLogging.init();
        FFmpegLogging.clearLastError();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(settings.input());
        // full-range 4:2:0 is what JPEG stores of video: the encoder then takes the planes as they are
        g.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
        settings.format().ifPresent(g::setFormat);
        g.setOptions(new LinkedHashMap<>(settings.options()));
        if (settings.lowDelay()) {
            g.setVideoOption("thread_type", "slice");
        }
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(g);
            throw new IOException(cannotOpen(e, settings.localFile()), e);
        }
        if (g.getVideoStream() < 0 || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new IOException("it has no video stream");
        }
        if (settings.maxSize().isPresent()) {
            Size out = new Size(g.getImageWidth(), g.getImageHeight())
                    .fitWithinEven(settings.maxSize().get());
            g.setImageWidth(out.width());
            g.setImageHeight(out.height());
        }
        return new VideoReader(g, settings);
    }

    private static String cannotOpen(FrameGrabber.Exception e, boolean localFile) {
        String warning = FFmpegLogging.lastWarning();
        if (warning != null && warning.contains("unknown codec")) {
            return "unsupported video codec (" + warning.lines().findFirst().orElse(warning) + ")";
        }
        if (e.getMessage() != null && e.getMessage().contains("avcodec_find_decoder")) {
            return "unsupported video codec (FFmpeg has no decoder for it)";
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Did not find a video or audio stream")) {
            return "it has no video stream";
        }
        // FFmpeg names the socket URL with our options in it: leave them out of the user's message
        String reason = FFmpegLogging.reason(e).replaceAll("\\?timeout=\\d+", "");
        return localFile ? "FFmpeg cannot read it as video (" + reason + ")" : "cannot open it (" + reason + ")";
    }

    /** The next frame decoded, or empty at the end. */
    public Optional<VideoFrame> next() throws IOException {
        return grab(false);
    }

    /** The next key frame; packets before it are dropped undecoded (about a tenth of the work of decoding them). */
    public Optional<VideoFrame> nextKeyFrame() throws IOException {
        return grab(true);
    }

    private Optional<VideoFrame> grab(boolean keyFrameOnly) throws IOException {
        Frame frame = grabFrame(true, keyFrameOnly);
        return frame == null ? Optional.empty() : Optional.of(new VideoFrame(pixels.toPicture(frame), frame.timestamp));
    }

    /** Decodes the next frame (later ones may refer to it) but neither converts nor copies its picture. */
    public OptionalLong skip() throws IOException {
        Frame frame = grabFrame(false, false);
        return frame == null ? OptionalLong.empty() : OptionalLong.of(frame.timestamp);
    }

    /** The next video frame decoded (converted when {@code processing}), or null at the end; notes key frames. */
    private Frame grabFrame(boolean processing, boolean keyFrameOnly) throws IOException {
        Frame frame;
        FFmpegLogging.clearLastError();
        try {
            frame = grabber.grabFrame(false, true, processing, keyFrameOnly, false);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("decoding failed: " + FFmpegLogging.reason(e), e);
        }
        if (frame != null && frame.keyFrame) {
            keyFrameInterval = between(lastKeyPts, frame.timestamp).or(() -> keyFrameInterval);
            lastKeyPts = frame.timestamp;
        }
        return frame;
    }

    /**
     * The time from one key frame to the next, from their presentation times in microseconds as
     * the stream gives them (anything): empty unless the second comes after the first.
     */
    static Optional<Duration> between(long previousMicros, long micros) {
        if (previousMicros == Long.MIN_VALUE || micros <= previousMicros || micros - previousMicros < 0) {
            return Optional.empty(); // none yet, not later, or so far apart that the difference overflows
        }
        long d = micros - previousMicros;
        return Optional.of(Duration.ofSeconds(d / 1_000_000, (d % 1_000_000) * 1000));
    }

    /** The time between the last two key frames seen, once two have been. */
    public Optional<Duration> keyFrameInterval() {
        return keyFrameInterval;
    }

    /** The frames the container says it holds (a file's; a stream's is meaningless). */
    public long lengthInFrames() {
        return localFile ? grabber.getLengthInVideoFrames() : -1;
    }

    public double frameRate() {
        return grabber.getFrameRate();
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception ignored) {
            // nothing more to release
        }
    }
}
