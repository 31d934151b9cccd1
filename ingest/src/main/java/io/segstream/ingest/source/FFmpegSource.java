package io.segstream.ingest.source;

import io.segstream.protocol.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Any input FFmpeg opens: a video file, an RTSP/HTTP/HLS/UDP/RTP/SRT stream, a V4L2 device. Every
 * blocking call FFmpeg makes on a network input is bounded by {@code ioTimeout} (FFmpeg's
 * {@code timeout} and {@code rw_timeout}), so open and read return with an error instead of
 * hanging when a camera stalls. Audio and other streams are ignored.
 */
public final class FFmpegSource implements FrameSource {

    private final SourceSpec spec;
    private final boolean lowDelay;
    private final Duration ioTimeout;
    private final Optional<Size> maxSize;
    private final YuvFrames pixels;
    private FFmpegFrameGrabber grabber;
    private long lastKeyPts = Long.MIN_VALUE;
    private Optional<Duration> keyFrameInterval = Optional.empty();

    public FFmpegSource(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize) {
        this(spec, ioTimeout, maxSize, 1, false);
    }

    /**
     * A source whose decoded images are each reused only {@code buffers} reads later, so that a
     * reader may hand up to {@code buffers - 1} of them to another thread without copying. With
     * {@code lowDelay} the decoder uses slice threads only, so that it holds no frame back.
     */
    public FFmpegSource(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize, int buffers, boolean lowDelay) {
        this.lowDelay = lowDelay;
        this.spec = spec;
        this.ioTimeout = ioTimeout;
        this.maxSize = maxSize;
        this.pixels = new YuvFrames(buffers);
    }

    @Override
    public void open() throws IOException {
        if (spec.kind() == SourceKind.FILE) {
            checkFile(Path.of(spec.ffmpegInput()));
        }
        FFmpegLogging.init();
        FFmpegLogging.clearLastError();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.ffmpegInput());
        // full-range 4:2:0 is what JPEG stores of video: the encoder then takes the planes as they are
        // (picture sequences go through ImageSequenceSource and are encoded with 4:4:4 colour)
        g.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
        if (spec.kind() == SourceKind.V4L2) {
            g.setFormat("v4l2");
        }
        g.setOptions(new LinkedHashMap<>(openOptions(spec, ioTimeout)));
        if (lowDelay) {
            g.setVideoOption("thread_type", "slice");
        }
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(g);
            throw new IOException(cannotOpen(e), e);
        }
        if (g.getVideoStream() < 0 || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new IOException("it has no video stream");
        }
        if (maxSize.isPresent()) {
            Size out = new Size(g.getImageWidth(), g.getImageHeight()).fitWithinEven(maxSize.get());
            g.setImageWidth(out.width());
            g.setImageHeight(out.height());
        }
        grabber = g;
    }

    private String cannotOpen(FrameGrabber.Exception e) {
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
        return spec.kind() == SourceKind.FILE
                ? "FFmpeg cannot read it as video (" + reason + ")"
                : "cannot open it (" + reason + ")";
    }

    /** FFmpeg options for opening {@code spec}: timeouts by kind, then the user's own options, which win. */
    static Map<String, String> openOptions(SourceSpec spec, Duration ioTimeout) {
        Map<String, String> o = new LinkedHashMap<>();
        String micros = Long.toString(ioTimeout.toNanos() / 1000);
        switch (spec.kind()) {
            case RTSP -> {
                o.put("rtsp_transport", "tcp");
                o.put("timeout", micros);
            }
            case HTTP, HLS -> {
                o.put("timeout", micros);
                o.put("rw_timeout", micros);
            }
            case UDP, RTP -> {
                o.put("timeout", micros);
                o.put("rw_timeout", micros);
                o.put("overrun_nonfatal", "1");
                o.put("fifo_size", "278876");
            }
            case SRT -> {
                o.put("timeout", micros);
                o.put("rw_timeout", micros);
            }
            case FILE, IMAGE_SEQUENCE, V4L2 -> {
                // local reads do not stall on a network
            }
        }
        o.putAll(spec.options());
        return o;
    }

    private static void checkFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("not a readable file");
        }
        if (Files.size(file) == 0) {
            throw new IOException("the file is empty");
        }
    }

    @Override
    public Optional<DecodedFrame> next() throws IOException {
        return grab(false);
    }

    /** Packets before the next key frame are dropped undecoded: about a tenth of the work of decoding them. */
    @Override
    public Optional<DecodedFrame> nextKeyFrame() throws IOException {
        return grab(true);
    }

    private Optional<DecodedFrame> grab(boolean keyFrameOnly) throws IOException {
        Frame frame = grabFrame(true, keyFrameOnly);
        return frame == null
                ? Optional.empty()
                : Optional.of(new DecodedFrame(pixels.toPicture(frame), frame.timestamp));
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

    @Override
    public Optional<Duration> keyFrameInterval() {
        return keyFrameInterval;
    }

    /** Decodes the next frame (later ones may refer to it) but neither converts nor copies its picture. */
    @Override
    public OptionalLong skip() throws IOException {
        Frame frame = grabFrame(false, false);
        return frame == null ? OptionalLong.empty() : OptionalLong.of(frame.timestamp);
    }

    @Override
    public long lengthHint() {
        return spec.kind() == SourceKind.FILE ? grabber.getLengthInVideoFrames() : -1;
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
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception ignored) {
            // nothing more to release
        }
    }
}
