package io.segstream.ingest.source;

import io.segstream.media.VideoReader;
import io.segstream.protocol.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Any input FFmpeg opens: a video file, an RTSP/HTTP/HLS/UDP/RTP/SRT stream, a V4L2 device, read
 * through media's {@link VideoReader}. Every blocking call FFmpeg makes on a network input is
 * bounded by {@code ioTimeout} (FFmpeg's {@code timeout} and {@code rw_timeout}), so open and read
 * return with an error instead of hanging when a camera stalls.
 */
public final class FFmpegSource implements FrameSource {

    private final SourceSpec spec;
    private final boolean lowDelay;
    private final Duration ioTimeout;
    private final Optional<Size> maxSize;
    private final int buffers;
    private VideoReader reader;

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
        this.buffers = buffers;
    }

    @Override
    public void open() throws IOException {
        boolean file = spec.kind() == SourceKind.FILE;
        if (file) {
            checkFile(Path.of(spec.ffmpegInput()));
        }
        Optional<String> format = spec.kind() == SourceKind.V4L2 ? Optional.of("v4l2") : Optional.empty();
        reader = VideoReader.open(new VideoReader.Settings(
                spec.ffmpegInput(), format, openOptions(spec, ioTimeout), maxSize, buffers, lowDelay, file));
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
        return reader.next().map(FFmpegSource::decoded);
    }

    /** Packets before the next key frame are dropped undecoded: about a tenth of the work of decoding them. */
    @Override
    public Optional<DecodedFrame> nextKeyFrame() throws IOException {
        return reader.nextKeyFrame().map(FFmpegSource::decoded);
    }

    private static DecodedFrame decoded(VideoReader.VideoFrame f) {
        return new DecodedFrame(f.picture(), f.ptsMicros());
    }

    @Override
    public Optional<Duration> keyFrameInterval() {
        return reader.keyFrameInterval();
    }

    /** Decodes the next frame (later ones may refer to it) but neither converts nor copies its picture. */
    @Override
    public OptionalLong skip() throws IOException {
        return reader.skip();
    }

    @Override
    public long lengthHint() {
        return reader.lengthInFrames();
    }

    @Override
    public double frameRate() {
        return reader.frameRate();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
