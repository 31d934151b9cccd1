package io.segstream.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's error codes in its words, for the sink's video writing and joining. */
public final class FFmpegError {

    private FFmpegError() {}

    /** The text of an FFmpeg error code, ending at its NUL (the buffer after it is not text). */
    public static String text(int code) {
        byte[] buf = new byte[256];
        avutil.av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code code}, or an IOException naming what could not be done to {@code file} and why, when it is an error. */
    public static int check(int code, String what, Path file) throws IOException {
        if (code < 0) {
            throw new IOException("cannot " + what + " " + file + ": " + text(code));
        }
        return code;
    }
}
