package io.segstream.media;

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
 * Encodes pictures as baseline JPEG with FFmpeg's MJPEG encoder (SIMD colour conversion and DCT,
 * several times faster than the JDK's encoder on large frames): ingest's frames and the live
 * view's pictures. A YUV picture is encoded as its planes are (4:2:0, no conversion), a still BGR
 * picture keeps its full colour resolution (4:4:4), and {@link #encodeSubsampled} takes BGR to
 * 4:2:0 where speed matters more than colour edges. One per thread; native state is sized on the
 * first picture, rebuilt when the size or layout changes, and lives until {@link #close()}.
 */
public final class JpegEncoder implements AutoCloseable {

    /** libavcodec's FF_THREAD_SLICE (avcodec.h), which the presets do not expose: one frame in, one packet out. */
    private static final int FF_THREAD_SLICE = 2;

    private final int qscale;
    /** 0: FFmpeg's slice threads on every core; 1: this thread only. */
    private final int threads;

    private AVCodecContext context;
    private AVFrame yuv;
    private AVPacket packet;
    private SwsContext sws;
    private BytePointer bgr = new BytePointer(0L);
    private final PointerPointer<BytePointer> bgrPlanes = new PointerPointer<>(4);
    private final IntPointer bgrStride = new IntPointer(4);
    private int width;
    private int height;
    private int pixelFormat;

    private JpegEncoder(int qscale, int threads) {
        if (qscale < 2 || qscale > 31) {
            throw new IllegalArgumentException("JPEG qscale must be 2..31, got " + qscale);
        }
        this.qscale = qscale;
        this.threads = threads;
    }

    /**
     * An encoder for a JPEG quality of 1-100 (what users give), mapped onto FFmpeg's quantiser by
     * {@link #qscale}, encoding each picture with slice threads on every core (a camera's frames,
     * one at a time, as fast as they come).
     */
    public static JpegEncoder ofQuality(int quality) {
        return new JpegEncoder(qscale(quality), 0);
    }

    /**
     * An encoder at FFmpeg's quantiser scale, 2 (best) to 31 (4 is about ImageIO's quality 0.8), on
     * the calling thread only: the live view renders beside the sink's own work, several painters at
     * once, and slice threads on every core would take that work's cores.
     */
    public static JpegEncoder ofQscale(int qscale) {
        return new JpegEncoder(qscale, 1);
    }

    /** FFmpeg's quantiser scale for a JPEG quality: 95+ gives 2, 90 gives 3, 75 gives 6, 50 gives 11, 1 gives 21. */
    static int qscale(int quality) {
        return Math.max(2, Math.min(31, Math.round((100 - quality) / 5f) + 1));
    }

    /** A video frame as its 4:2:0 planes are; a still picture with its full colour resolution (4:4:4). */
    public byte[] encode(Picture picture) {
        if (picture instanceof YuvPicture p) {
            prepare(p.width(), p.height(), AV_PIX_FMT_YUVJ420P);
            copyPlanes(p);
        } else if (picture instanceof BgrPicture p) {
            prepare(p.width(), p.height(), AV_PIX_FMT_YUVJ444P);
            convert(p.image());
        }
        return encodeFrame();
    }

    /**
     * A 3-byte BGR picture converted to 4:2:0, cropped to an even size (4:2:0 needs one): the live
     * view's pictures.
     */
    public byte[] encodeSubsampled(BufferedImage picture) {
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
        prepare(w, h, AV_PIX_FMT_YUVJ420P);
        convert(picture);
        return encodeFrame();
    }

    private byte[] encodeFrame() {
        yuv.quality(qscale * FF_QP2LAMBDA);
        check(avcodec_send_frame(context, yuv), "avcodec_send_frame");
        check(avcodec_receive_packet(context, packet), "avcodec_receive_packet");
        try {
            byte[] jpeg = new byte[packet.size()];
            packet.data().position(0).get(jpeg);
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

    /** The picture's top-left {@code width x height} converted into the frame (its rows are the picture's width). */
    private void convert(BufferedImage image) {
        long size = (long) image.getWidth() * image.getHeight() * 3;
        if (bgr.capacity() < size + 256) {
            bgr.close();
            bgr = new BytePointer(size + 256); // swscale's SIMD may read a little past the last row
        }
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        bgr.position(0).put(pixels, 0, (int) size);
        bgrPlanes.put(0, bgr);
        bgrStride.put(0, image.getWidth() * 3);
        sws = sws_getCachedContext(
                sws, width, height, AV_PIX_FMT_BGR24, width, height, pixelFormat, SWS_BILINEAR, null, null, (double[])
                        null);
        sws_scale(sws, bgrPlanes, bgrStride, 0, height, yuv.data(), yuv.linesize());
    }

    private void prepare(int w, int h, int format) {
        if (context != null && w == width && h == height && format == pixelFormat) {
            check(av_frame_make_writable(yuv), "av_frame_make_writable");
            return;
        }
        release();
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
                .thread_count(threads)
                .thread_type(FF_THREAD_SLICE);
        check(avcodec_open2(context, codec, (PointerPointer<?>) null), "avcodec_open2");
        yuv = av_frame_alloc();
        yuv.format(format).width(w).height(h);
        check(av_frame_get_buffer(yuv, 32), "av_frame_get_buffer");
        packet = av_packet_alloc();
        width = w;
        height = h;
        pixelFormat = format;
    }

    private static void check(int code, String call) {
        if (code < 0) {
            throw new IllegalStateException(
                    "JPEG encoding failed: " + call + " returned " + code + " (" + FFmpegError.text(code) + ")");
        }
    }

    private void release() {
        if (context != null) {
            avcodec_free_context(context);
            av_frame_free(yuv);
            av_packet_free(packet);
            context = null;
        }
    }

    @Override
    public void close() {
        release();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        bgr.close();
        bgrPlanes.close();
        bgrStride.close();
    }
}
