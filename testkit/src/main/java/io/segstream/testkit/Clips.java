package io.segstream.testkit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Synthesises small clips with a known pattern (frame i is filled with grey level 20·i), and decodes clips. */
public final class Clips {

    private Clips() {}

    public static Path write(Path file, int frames, int width, int height, int codec) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
                Java2DFrameConverter conv = new Java2DFrameConverter()) {
            r.setVideoCodec(codec);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(10);
            if (codec == avcodec.AV_CODEC_ID_MPEG4) {
                r.setVideoQuality(1);
            } else {
                r.setVideoOption("crf", "10");
            }
            r.start();
            for (int i = 0; i < frames; i++) {
                BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(level(i), level(i), level(i)));
                g.fillRect(0, 0, width, height);
                g.dispose();
                r.record(conv.convert(img));
            }
        }
        return file;
    }

    /** Every frame of a video, decoded by FFmpeg, as pictures of their own (not JavaCV's reused buffer). */
    public static List<BufferedImage> decode(Path clip) throws Exception {
        List<BufferedImage> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile());
                Java2DFrameConverter c = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                BufferedImage img = c.getBufferedImage(f);
                out.add(new BufferedImage(img.getColorModel(), img.copyData(null), false, null));
            }
        }
        return out;
    }

    /** A 3-byte BGR picture, its left half red and its right half blue: colours a codec must keep apart. */
    public static BufferedImage halves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    /** How many pictures FFmpeg decodes from a video. */
    public static int frameCount(Path video) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            return n;
        }
    }

    public static int level(int frame) {
        return Math.min(255, 20 * frame + 10);
    }
}
