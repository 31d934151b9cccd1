package io.segstream.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's ffmpeg sending its moving test pattern (320x240, H.264, a key frame every second) in
 * real time to a live output: the camera of the live-source tests.
 */
public final class LivePattern {

    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 10;

    private LivePattern() {}

    /** Starts ffmpeg with the pattern as input and {@code output} (options and URL) as output. */
    public static ToolProcess send(Path log, String... output) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Tools.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "warning",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS,
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-tune",
                "zerolatency",
                "-pix_fmt",
                "yuv420p",
                "-g",
                Integer.toString(FPS)));
        cmd.addAll(List.of(output));
        return ToolProcess.start(log, cmd);
    }

    /** Writes {@code seconds} of the pattern as an MPEG-TS file, for servers that stream a file. */
    public static Path writeTs(Path file, int seconds) throws IOException, InterruptedException {
        List<String> cmd = List.of(
                Tools.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS + ":duration=" + seconds,
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                Integer.toString(FPS),
                "-f",
                "mpegts",
                file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg could not write " + file + ": " + out);
        }
        return file;
    }
}
