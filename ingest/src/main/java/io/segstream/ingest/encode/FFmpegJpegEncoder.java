package io.segstream.ingest.encode;

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
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.segstream.ingest.source.BgrPicture;
import io.segstream.ingest.source.Picture;
import io.segstream.ingest.source.YuvPicture;
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
 * Encodes pictures as baseline JPEG with FFmpeg's MJPEG encoder (SIMD colour conversion and DCT),
 * several times faster than the JDK's encoder on large frames. The JPEG quality 1-100 maps onto
 * FFmpeg's quantiser scale 2-31 ({@link #qscale}). One per camera thread; native state is sized on
 * the first picture and rebuilt when the size changes.
 */
public final class FFmpegJpegEncoder implements PictureEncoder {

    /** libavcodec's FF_THREAD_SLICE (avcodec.h), which the presets do not expose: one frame in, one packet out. */
    private static final int FF_THREAD_SLICE = 2;

    private final int qscale;
    private AVCodecContext context;
    private SwsContext sws;
    private AVFrame yuv;
    private AVPacket packet;
    private BytePointer bgr;
    private PointerPointer<BytePointer> bgrPlanes;
    private IntPointer bgrStride;
    private int width;
    private int height;
    private int pixelFormat;

    public FFmpegJpegEncoder(int quality) {
        this.qscale = qscale(quality);
    }

    /** FFmpeg's quantiser scale for a JPEG quality: 95+ gives 2, 90 gives 3, 75 gives 6, 50 gives 11, 1 gives 31. */
    static int qscale(int quality) {
        return Math.max(2, Math.min(31, Math.round((100 - quality) / 5f) + 1));
    }

    @Override
    public byte[] encode(Picture picture) {
        // video frames are 4:2:0 already; a still picture (BGR) keeps its full colour resolution: 4:4:4
        int format = picture instanceof YuvPicture ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUVJ444P;
        if (context == null || picture.width() != width || picture.height() != height || format != pixelFormat) {
            release();
            open(picture.width(), picture.height(), format);
        }
        if (picture instanceof YuvPicture p) {
            copyPlanes(p);
        } else if (picture instanceof BgrPicture p) {
            convert(p.image());
        }
        yuv.quality(context.global_quality());
        check(avcodec_send_frame(context, yuv), "avcodec_send_frame");
        check(avcodec_receive_packet(context, packet), "avcodec_receive_packet");
        try {
            byte[] jpeg = new byte[packet.size()];
            packet.data().get(jpeg);
            return jpeg;
        } finally {
            av_packet_unref(packet);
        }
    }

    /** The planes as they are: the picture is already full-range 4:2:0. */
    private void copyPlanes(YuvPicture p) {
        byte[] data = p.data();
        for (int plane = 0; plane < 3; plane++) {
            BytePointer dst = yuv.data(plane);
            int linesize = yuv.linesize(plane);
            int row = p.stride(plane);
            for (int y = 0; y < p.rows(plane); y++) {
                dst.position((long) y * linesize).put(data, p.offset(plane) + y * row, row);
            }
            dst.position(0);
        }
    }

    private void convert(BufferedImage image) {
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        bgr.position(0).put(pixels, 0, width * height * 3);
        sws_scale(sws, bgrPlanes, bgrStride, 0, height, yuv.data(), yuv.linesize());
    }

    private void open(int w, int h, int format) {
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        if (codec == null) {
            throw new IllegalStateException("this FFmpeg build has no MJPEG encoder");
        }
        context = avcodec_alloc_context3(codec);
        context.width(w)
                .height(h)
                .pix_fmt(format)
                .color_range(AVCOL_RANGE_JPEG)
                .time_base(new AVRational().num(1).den(25))
                .flags(context.flags() | AV_CODEC_FLAG_QSCALE)
                .global_quality(qscale * FF_QP2LAMBDA)
                .thread_count(0)
                .thread_type(FF_THREAD_SLICE);
        check(avcodec_open2(context, codec, (PointerPointer<?>) null), "avcodec_open2");
        yuv = av_frame_alloc();
        yuv.format(format).width(w).height(h);
        check(av_frame_get_buffer(yuv, 32), "av_frame_get_buffer");
        packet = av_packet_alloc();
        sws = sws_getContext(w, h, AV_PIX_FMT_BGR24, w, h, format, SWS_BILINEAR, null, null, (double[]) null);
        bgr = new BytePointer((long) w * h * 3);
        // sws_scale reads four plane pointers and strides, even for a packed format
        bgrPlanes = new PointerPointer<>(4);
        bgrPlanes.put(0, bgr);
        bgrStride = new IntPointer(new int[] {w * 3, 0, 0, 0});
        width = w;
        height = h;
        pixelFormat = format;
    }

    private static void check(int code, String call) {
        if (code < 0) {
            throw new IllegalStateException("JPEG encoding failed: " + call + " returned " + code);
        }
    }

    private void release() {
        if (context != null) {
            avcodec_free_context(context);
            av_frame_free(yuv);
            av_packet_free(packet);
            sws_freeContext(sws);
            bgr.close();
            bgrPlanes.close();
            bgrStride.close();
            context = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
