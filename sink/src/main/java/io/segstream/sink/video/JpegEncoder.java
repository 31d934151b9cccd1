package io.segstream.sink.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Encodes 3-byte BGR pictures as JPEG with FFmpeg's MJPEG encoder (several times faster than
 * ImageIO's), for the live view. One per thread; native state lives until {@link #close()}; a
 * picture of another size reopens the encoder.
 */
public final class JpegEncoder implements AutoCloseable {

    /** FFmpeg's quantiser scale, 2 (best) to 31; 4 is about ImageIO's quality 0.8. */
    private final int qscale;

    private AVCodecContext context;
    private AVFrame frame;
    private AVPacket packet;
    private SwsContext sws;
    private BytePointer bgr = new BytePointer(0L);
    private final PointerPointer<BytePointer> bgrPlanes = new PointerPointer<>(4);
    private final IntPointer bgrStride = new IntPointer(4);
    private int width;
    private int height;

    public JpegEncoder(int qscale) {
        if (qscale < 2 || qscale > 31) {
            throw new IllegalArgumentException("JPEG qscale must be 2..31, got " + qscale);
        }
        this.qscale = qscale;
    }

    public byte[] encode(BufferedImage picture) {
        if (picture.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            throw new IllegalArgumentException(
                    "the JPEG encoder takes 3-byte BGR pictures, got type " + picture.getType());
        }
        int w = picture.getWidth() & ~1;
        int h = picture.getHeight() & ~1;
        if (w < 2 || h < 2) {
            throw new IllegalArgumentException(
                    "picture of " + picture.getWidth() + "x" + picture.getHeight() + " is too small");
        }
        if (context == null || w != width || h != height) {
            open(w, h);
        }
        long size = (long) picture.getWidth() * picture.getHeight() * 3;
        if (bgr.capacity() < size) {
            bgr.close();
            bgr = new BytePointer(size);
        }
        byte[] pixels = ((DataBufferByte) picture.getRaster().getDataBuffer()).getData();
        bgr.position(0).put(pixels, 0, (int) size);
        bgrPlanes.put(0, bgr);
        bgrStride.put(0, picture.getWidth() * 3);
        check(av_frame_make_writable(frame), "prepare a frame");
        sws_scale(sws, bgrPlanes, bgrStride, 0, h, frame.data(), frame.linesize());
        frame.quality(qscale * 118); // FF_QP2LAMBDA
        check(avcodec_send_frame(context, frame), "encode");
        check(avcodec_receive_packet(context, packet), "encode");
        try {
            byte[] out = new byte[packet.size()];
            packet.data().position(0).get(out);
            return out;
        } finally {
            av_packet_unref(packet);
        }
    }

    private void open(int w, int h) {
        free();
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        if (codec == null) {
            throw new IllegalStateException("this FFmpeg build has no MJPEG encoder");
        }
        context = avcodec_alloc_context3(codec);
        context.width(w)
                .height(h)
                .pix_fmt(AV_PIX_FMT_YUVJ420P)
                .time_base(new AVRational().num(1).den(25));
        context.flags(context.flags() | AV_CODEC_FLAG_QSCALE);
        if (avcodec_open2(context, codec, (PointerPointer<?>) null) < 0) {
            throw new IllegalStateException("cannot open FFmpeg's MJPEG encoder for " + w + "x" + h);
        }
        frame = av_frame_alloc();
        frame.width(w).height(h).format(AV_PIX_FMT_YUVJ420P);
        check(av_frame_get_buffer(frame, 0), "allocate a frame");
        packet = av_packet_alloc();
        sws = sws_getCachedContext(
                sws, w, h, AV_PIX_FMT_BGR24, w, h, AV_PIX_FMT_YUVJ420P, SWS_BILINEAR, null, null, (double[]) null);
        width = w;
        height = h;
    }

    private static void check(int code, String what) {
        if (code < 0) {
            throw new IllegalStateException("FFmpeg could not " + what + " a JPEG (error " + code + ")");
        }
    }

    private void free() {
        if (context != null) {
            avcodec_free_context(context);
            av_frame_free(frame);
            av_packet_free(packet);
            context = null;
        }
    }

    @Override
    public void close() {
        free();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        bgr.close();
        bgrPlanes.close();
        bgrStride.close();
    }
}
