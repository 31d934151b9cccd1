package io.segstream.ingest;

import io.segstream.testkit.Clips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;

/** Inputs that must fail with a clear reason, made fresh for each test. */
public final class BadFiles {

    private BadFiles() {}

    public static Path empty(Path dir) throws IOException {
        return Files.createFile(dir.resolve("empty.mp4"));
    }

    public static Path garbage(Path dir) throws IOException {
        byte[] bytes = new byte[64 * 1024];
        new Random(3).nextBytes(bytes);
        return Files.write(dir.resolve("garbage.mp4"), bytes);
    }

    /** An MP4 cut in half: its index (written at the end) is gone. */
    public static Path truncated(Path dir) throws Exception {
        Path whole = Clips.write(dir.resolve("whole.mp4"), 30, 128, 96, avcodec.AV_CODEC_ID_H264);
        byte[] bytes = Files.readAllBytes(whole);
        return Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** An AVI whose video stream claims a codec no FFmpeg build decodes (its FourCC changed to ZZZ9). */
    public static Path unsupportedCodec(Path dir) throws Exception {
        Path avi = Clips.write(dir.resolve("mpeg4.avi"), 5, 96, 64, avcodec.AV_CODEC_ID_MPEG4);
        byte[] bytes = Files.readAllBytes(avi);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String fourcc = text.contains("FMP4") ? "FMP4" : "XVID";
        byte[] replaced = text.replace(fourcc, "ZZZ9")
                .replace(fourcc.toLowerCase(), "zzz9")
                .getBytes(StandardCharsets.ISO_8859_1);
        return Files.write(dir.resolve("unsupported.avi"), replaced);
    }
}
