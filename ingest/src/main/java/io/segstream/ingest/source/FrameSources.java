package io.segstream.ingest.source;

import io.segstream.protocol.Size;
import java.time.Duration;
import java.util.Optional;

/** Makes the source a camera's spec asks for. */
public final class FrameSources {

    private FrameSources() {}

    public static FrameSource create(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize) {
        return create(spec, ioTimeout, maxSize, 1);
    }

    /**
     * A source for a live camera: decoding holds no frames back (slice threads only; frame threads
     * would delay every frame by one per thread).
     */
    public static FrameSource live(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize) {
        return spec.kind() == SourceKind.IMAGE_SEQUENCE
                ? new ImageSequenceSource(spec, maxSize)
                : new FFmpegSource(spec, ioTimeout, maxSize, 1, true);
    }

    /** A source whose images stay untouched for {@code buffers - 1} further reads (see {@link FFmpegSource}). */
    public static FrameSource create(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize, int buffers) {
        return spec.kind() == SourceKind.IMAGE_SEQUENCE
                ? new ImageSequenceSource(spec, maxSize)
                : new FFmpegSource(spec, ioTimeout, maxSize, buffers, false);
    }
}
