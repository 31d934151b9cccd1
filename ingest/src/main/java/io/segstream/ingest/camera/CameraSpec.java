package io.segstream.ingest.camera;

import io.segstream.ingest.source.SourceKind;
import io.segstream.ingest.source.SourceSpec;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.Checks;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One camera or recorded input of an ingest process.
 *
 * @param id          the camera id: the record key on every topic
 * @param source      where its frames come from
 * @param live        live (latency first: reconnect forever, drop the oldest frames when Kafka is slow) or
 *                    recorded (read to the end once, drop nothing, end with the end-of-stream marker)
 * @param targetFps   publish at most this many frames per second of the source's time (sampling), if set
 * @param maxSize     downscale larger pictures to fit within this size, if set
 * @param encoding    how frames are published
 * @param jpegQuality 1..100, for JPEG
 * @param scale       the inference scale for this camera's frames (header {@code ss.scale}), instead of the model's own
 */
public record CameraSpec(
        String id,
        SourceSpec source,
        boolean live,
        OptionalDouble targetFps,
        Optional<Size> maxSize,
        ImageEncoding encoding,
        int jpegQuality,
        Optional<Scale> scale) {

    /** JPEG quality of video frames: 4:2:0 colour, as the video has. */
    public static final int DEFAULT_JPEG_QUALITY = 90;
    /**
     * JPEG quality of picture sequences, which also keep their full colour resolution (4:4:4):
     * on the labelled CamVid sample this keeps the pipeline's mIoU within 0.5 points of the model's
     * own, where quality 90 lost 5.
     */
    public static final int STILL_JPEG_QUALITY = 95;

    public CameraSpec {
        Checks.nonNull("id source targetFps maxSize encoding scale", id, source, targetFps, maxSize, encoding, scale);
        if (maxSize.isPresent() && (maxSize.get().width() < 2 || maxSize.get().height() < 2)) {
            throw new IllegalArgumentException("max size must be at least 2x2 (video frames), got " + maxSize.get());
        }
        if (!CameraId.valid(id)) {
            throw new IllegalArgumentException("camera id " + CameraId.quote(id) + " must be " + CameraId.RULE
                    + " (it names the output directory)");
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("camera " + id + ": JPEG quality must be 1..100, got " + jpegQuality);
        }
        if (targetFps.isPresent() && !(targetFps.getAsDouble() > 0)) {
            throw new IllegalArgumentException("camera " + id + ": fps must be > 0, got " + targetFps.getAsDouble());
        }
    }

    /** A camera reading {@code input} with the defaults: live or recorded by the kind of source, JPEG at its default quality. */
    public static CameraSpec of(String id, String input) {
        SourceSpec source = SourceSpec.of(input);
        return new CameraSpec(
                id,
                source,
                source.kind().liveByDefault(),
                OptionalDouble.empty(),
                Optional.empty(),
                ImageEncoding.JPEG,
                defaultJpegQuality(source),
                Optional.empty());
    }

    /** {@value #STILL_JPEG_QUALITY} for picture sequences, {@value #DEFAULT_JPEG_QUALITY} for video. */
    public static int defaultJpegQuality(SourceSpec source) {
        return source.kind() == SourceKind.IMAGE_SEQUENCE ? STILL_JPEG_QUALITY : DEFAULT_JPEG_QUALITY;
    }

    public String input() {
        return source.input();
    }

    public CameraSpec withEncoding(ImageEncoding e, int quality) {
        return new CameraSpec(id, source, live, targetFps, maxSize, e, quality, scale);
    }

    public CameraSpec withLive(boolean l) {
        return new CameraSpec(id, source, l, targetFps, maxSize, encoding, jpegQuality, scale);
    }

    public CameraSpec withTargetFps(double fps) {
        return new CameraSpec(id, source, live, OptionalDouble.of(fps), maxSize, encoding, jpegQuality, scale);
    }

    /** Segment this camera's frames at {@code s} instead of the model's own scale. */
    public CameraSpec withScale(Scale s) {
        return new CameraSpec(id, source, live, targetFps, maxSize, encoding, jpegQuality, Optional.of(s));
    }

    public CameraSpec withMaxSize(Size size) {
        return new CameraSpec(id, source, live, targetFps, Optional.of(size), encoding, jpegQuality, scale);
    }
}
