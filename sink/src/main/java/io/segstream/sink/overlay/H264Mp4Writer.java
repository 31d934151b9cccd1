package io.segstream.sink.overlay;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * H.264 (libx264) in MP4 through JavaCV. Frames are numbered in write order at the nominal frame
 * rate, so every picture written becomes exactly one frame of the video. Odd sizes are scaled to
 * the nearest even size below, which 4:2:0 video needs.
 */
public final class H264Mp4Writer implements VideoWriter {

    private final FFmpegFrameRecorder recorder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final Path file;
    private long frames;

    public H264Mp4Writer(Path file, int width, int height, double frameRate, String preset) throws IOException {
        this.file = file;
        recorder = new FFmpegFrameRecorder(file.toFile(), Math.max(2, width & ~1), Math.max(2, height & ~1), 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(frameRate);
        recorder.setGopSize((int) Math.max(1, Math.round(frameRate * 2)));
        recorder.setVideoOption("preset", preset);
        recorder.setVideoOption("crf", "23");
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            converter.close();
            throw new IOException("cannot start H.264 encoding into " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(BufferedImage picture) throws IOException {
        try {
            recorder.record(converter.convert(picture));
            frames++;
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot encode frame " + frames + " into " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish " + file + ": " + e.getMessage(), e);
        } finally {
            converter.close();
        }
    }
}
