package io.segstream.media;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes FFmpeg's own log through SLF4J (logger {@code ffmpeg}, debug level, with the camera id of
 * the thread that logs) and keeps each thread's last FFmpeg error, so that a failure is reported
 * as one line with FFmpeg's own reason instead of a raw error code.
 */
public final class FFmpegLogging {

    private static final Logger FFMPEG = LoggerFactory.getLogger("ffmpeg");
    private static final Pattern CONTEXT = Pattern.compile("^\\[[^\\]]*] ");
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");
    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();
    private static final ThreadLocal<String> LAST_WARNING = new ThreadLocal<>();
    /** Held for the life of the JVM: FFmpeg keeps calling it. */
    private static final Callback CALLBACK = new Callback();

    private static volatile boolean initialised;

    private FFmpegLogging() {}

    public static void init() {
        if (!initialised) {
            synchronized (FFmpegLogging.class) {
                if (!initialised) {
                    avutil.setLogCallback(CALLBACK);
                    avutil.av_log_set_level(avutil.AV_LOG_WARNING);
                    initialised = true;
                }
            }
        }
    }

    /** Forgets this thread's last FFmpeg error; call before an FFmpeg operation whose failure will be reported. */
    static void clearLastError() {
        LAST_ERROR.remove();
        LAST_WARNING.remove();
    }

    /** This thread's last FFmpeg warning since {@link #clearLastError()}, or null. */
    static String lastWarning() {
        return LAST_WARNING.get();
    }

    /**
     * The reason of a JavaCV failure in FFmpeg's words: its last error line on this thread, else
     * the text of the error code in JavaCV's message, else that message.
     */
    static String reason(Exception e) {
        String last = LAST_ERROR.get();
        if (last != null) {
            return last;
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher code = ERROR_CODE.matcher(m);
        if (code.find()) {
            return FFmpegError.text(Integer.parseInt(code.group(1)));
        }
        return m;
    }

    private static final class Callback extends LogCallback {
        @Override
        public void call(int level, BytePointer msg) {
            String text = CONTEXT.matcher(msg.getString(StandardCharsets.UTF_8).strip())
                    .replaceFirst("");
            if (text.isEmpty()) {
                return;
            }
            if (level <= avutil.AV_LOG_ERROR) {
                LAST_ERROR.set(text);
            } else if (level <= avutil.AV_LOG_WARNING) {
                LAST_WARNING.set(text);
            }
            FFMPEG.debug("{}", text);
        }
    }
}
