package io.segstream.ingest.source;

import org.bytedeco.ffmpeg.global.avutil;

/** Keeps FFmpeg's own log to errors, and turns JavaCV exceptions into one readable cause. */
public final class FFmpegLogging {

    private static volatile boolean initialised;

    private FFmpegLogging() {
    }

    public static void init() {
        if (!initialised) {
            synchronized (FFmpegLogging.class) {
                if (!initialised) {
                    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                    initialised = true;
                }
            }
        }
    }

    /** JavaCV's message without its advice about setFormat(), which means nothing to a user. */
    static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int hint = m.indexOf(" (Has setFormat()");
        return hint > 0 ? m.substring(0, hint) : m;
    }
}
