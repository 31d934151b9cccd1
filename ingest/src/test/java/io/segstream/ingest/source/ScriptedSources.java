package io.segstream.ingest.source;

import io.segstream.media.YuvPicture;
import io.segstream.protocol.Size;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sources whose behaviour a test writes down, handed out in order by the cameras' factory: a source
 * that cannot be opened, one that gives N frames and ends or fails, one that gives frames forever,
 * one that goes silent. Every source it made is kept, with what was asked of it.
 */
public final class ScriptedSources implements FrameSourceFactory {

    private final Deque<Scripted> script = new ArrayDeque<>();
    private final List<Scripted> made = new ArrayList<>();
    private Scripted last;

    /** The next source cannot be opened. */
    public ScriptedSources failingToOpen() {
        return add(new Scripted(-1, 0, End.EMPTY, 0));
    }

    /** The source added last refuses its first {@code times} opens (a recorded input opens one source again). */
    public ScriptedSources afterRefusals(int times) {
        script.peekLast().refusals = times;
        return this;
    }

    /** The next source gives {@code frames} frames, then ends (empty), fails or goes silent. */
    public ScriptedSources giving(int frames, long lengthHint, End end) {
        return add(new Scripted(frames, lengthHint, end, 0));
    }

    /** The next source gives frames forever, 25 a second of presentation time, one every {@code everyMillis} of wall time. */
    public ScriptedSources endless(long everyMillis) {
        return add(new Scripted(Integer.MAX_VALUE, -1, End.EMPTY, everyMillis));
    }

    private ScriptedSources add(Scripted s) {
        script.add(s);
        return this;
    }

    /** The sources handed out so far, in order. */
    public synchronized List<Scripted> made() {
        return List.copyOf(made);
    }

    @Override
    public synchronized FrameSource recorded(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize, int buffers) {
        return next();
    }

    @Override
    public synchronized FrameSource live(SourceSpec spec, Duration ioTimeout, Optional<Size> maxSize) {
        return next();
    }

    /** The next scripted source; once the script is done, its last source again, afresh (a camera that keeps reconnecting). */
    private Scripted next() {
        Scripted s = script.isEmpty() ? last.again() : script.poll();
        last = s;
        made.add(s);
        return s;
    }

    /** How a source that gave its frames ends. */
    public enum End {
        /** the input's end: {@code next()} is empty */
        EMPTY,
        /** a read error */
        FAILURE,
        /** nothing comes for 2 s, as a stalled camera until FFmpeg's I/O timeout, then the end */
        SILENCE
    }

    /** One scripted source, and what was asked of it. */
    public static final class Scripted implements FrameSource {

        private static final int W = 16;
        private static final int H = 8;
        private final int frames;
        private final long lengthHint;
        private final End end;
        private final long everyMillis;
        private volatile int given;
        public final AtomicInteger decoded = new AtomicInteger();
        public final AtomicInteger skipped = new AtomicInteger();
        public final AtomicInteger keyFrameReads = new AtomicInteger();
        public volatile boolean opened;
        public final AtomicInteger openAttempts = new AtomicInteger();
        private int refusals;
        public volatile boolean closed;

        Scripted(int frames, long lengthHint, End end, long everyMillis) {
            this.frames = frames;
            this.lengthHint = lengthHint;
            this.end = end;
            this.everyMillis = everyMillis;
        }

        Scripted again() {
            return new Scripted(frames, lengthHint, end, everyMillis);
        }

        @Override
        public void open() throws IOException {
            openAttempts.incrementAndGet();
            if (frames < 0 || refusals-- > 0) {
                throw new IOException("Connection refused (scripted)");
            }
            opened = true;
        }

        @Override
        public Optional<DecodedFrame> next() throws IOException {
            OptionalLong pts = advance();
            if (pts.isEmpty()) {
                return Optional.empty();
            }
            decoded.incrementAndGet();
            byte[] yuv = new byte[YuvPicture.size(W, H)];
            java.util.Arrays.fill(yuv, (byte) (given * 16));
            return Optional.of(new DecodedFrame(new YuvPicture(W, H, yuv), pts.getAsLong()));
        }

        @Override
        public OptionalLong skip() throws IOException {
            OptionalLong pts = advance();
            if (pts.isPresent()) {
                skipped.incrementAndGet();
            }
            return pts;
        }

        @Override
        public Optional<DecodedFrame> nextKeyFrame() throws IOException {
            keyFrameReads.incrementAndGet();
            for (int i = 0; i < 24; i++) { // a key frame every 25 frames: one second
                if (skip().isEmpty()) {
                    return Optional.empty();
                }
            }
            return next();
        }

        @Override
        public Optional<Duration> keyFrameInterval() {
            return Optional.of(Duration.ofSeconds(1));
        }

        private OptionalLong advance() throws IOException {
            if (given >= frames) {
                switch (end) {
                    case FAILURE -> throw new IOException("Connection reset by peer (scripted)");
                    case SILENCE -> pause(2000);
                    default -> {}
                }
                return OptionalLong.empty();
            }
            if (everyMillis > 0) {
                pause(everyMillis);
            }
            return OptionalLong.of(40_000L * given++);
        }

        private void pause(long millis) throws IOException {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        /** Frames handed on or skipped so far. */
        public int given() {
            return given;
        }

        @Override
        public long lengthHint() {
            return lengthHint;
        }

        @Override
        public double frameRate() {
            return 25;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
