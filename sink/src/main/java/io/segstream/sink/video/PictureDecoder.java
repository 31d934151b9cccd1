package io.segstream.sink.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes frame pictures into 3-byte BGR images: JPEG with FFmpeg's MJPEG decoder and colour
 * conversion (SIMD, about three times faster than ImageIO on large frames), PNG with ImageIO.
 * One per thread; native state lives until {@link #close()}.
 */
public final class PictureDecoder implements AutoCloseable {

    private AVCodecContext context;
    private AVPacket packet;
    private AVFrame frame;
    private SwsContext sws;
    private BytePointer input = new BytePointer(0L);
    private BytePointer bgr = new BytePointer(0L);
    private final PointerPointer<BytePointer> bgrPlanes = new PointerPointer<>(4);
    private final IntPointer bgrStride = new IntPointer(4);

    public BufferedImage decode(byte[] picture) {
        if (picture.length > 3 && (picture[0] & 0xFF) == 0xFF && (picture[1] & 0xFF) == 0xD8) {
            return jpeg(picture);
        }
        return imageIo(picture);
    }

    private BufferedImage jpeg(byte[] picture) {
        if (context == null) {
            open();
        }
        if (input.capacity() < picture.length + AV_INPUT_BUFFER_PADDING_SIZE) {
            input.close();
            input = new BytePointer((long) picture.length + AV_INPUT_BUFFER_PADDING_SIZE);
        }
        input.position(0).put(picture, 0, picture.length);
        for (int i = 0; i < AV_INPUT_BUFFER_PADDING_SIZE; i++) {
            input.put(picture.length + i, (byte) 0);
        }
        packet.data(input).size(picture.length);
        if (avcodec_send_packet(context, packet) < 0 || avcodec_receive_frame(context, frame) < 0) {
            throw new IllegalArgumentException(
                    "frame picture is not a JPEG FFmpeg can decode (" + picture.length + " bytes)");
        }
        try {
            int w = frame.width();
            int h = frame.height();
            sws = sws_getCachedContext(
                    sws, w, h, frame.format(), w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR, null, null, (double[]) null);
            long size = (long) w * h * 3;
            if (bgr.capacity() < size) {
                bgr.close();
                bgr = new BytePointer(size);
            }
            bgrPlanes.put(0, bgr);
            bgrStride.put(0, w * 3);
            sws_scale(sws, frame.data(), frame.linesize(), 0, h, bgrPlanes, bgrStride);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            bgr.position(0).get(((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, (int) size);
            return img;
        } finally {
            av_frame_unref(frame);
        }
    }

    private void open() {
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        if (codec == null) {
            throw new IllegalStateException("this FFmpeg build has no MJPEG decoder");
        }
        context = avcodec_alloc_context3(codec);
        if (avcodec_open2(context, codec, (PointerPointer<?>) null) < 0) {
            throw new IllegalStateException("cannot open FFmpeg's MJPEG decoder");
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    private static BufferedImage imageIo(byte[] picture) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(picture));
        } catch (IOException e) {
            throw new UncheckedIOException("frame picture does not decode: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("frame picture is neither JPEG nor PNG (" + picture.length + " bytes)");
        }
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return img;
        }
        BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return bgr;
    }

    @Override
    public void close() {
        if (context != null) {
            avcodec_free_context(context);
            av_packet_free(packet);
            av_frame_free(frame);
            context = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        input.close();
        bgr.close();
        bgrPlanes.close();
        bgrStride.close();
    }
}
