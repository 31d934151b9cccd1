package io.segstream.ingest.source;

import io.segstream.protocol.Size;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes a camera's source: passed to the cameras, so that their read loops are tested with a source
 * of the test's own ({@link #FFMPEG} everywhere else).
 */
public interface FrameSourceFactory {

    /** A recorded input's source, its images untouched for {@code buffers - 1} further reads. */
    FrameSource recorded(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize, int buffers);

    /** A live camera's source: decoding holds no frames back. */
    FrameSource live(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize);

    /** FFmpeg for files, streams and devices; the picture reader for picture sequences. */
    FrameSourceFactory FFMPEG = new FrameSourceFactory() {
        @Override
        public FrameSource recorded(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize, int buffers) {
            return FrameSources.create(spec, ioTimeout, maxSize, buffers);
        }

        @Override
        public FrameSource live(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize) {
            return FrameSources.live(spec, ioTimeout, maxSize);
        }
    };
}
