package io.segstream.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * H.264 (libx264) in fragmented MP4, on FFmpeg's own API. Frames are numbered in write order at the
 * nominal frame rate, so every picture written becomes exactly one frame of the video.
 *
 * <p>The encoder runs with {@code tune=zerolatency} (no B-frames, no look-ahead: one packet per
 * frame, out at once, in display order), and every packet is flushed to the file as a fragment of
 * its own ({@code movflags=frag_custom}), so a file whose process dies holds every frame written
 * before, and plays. Odd sizes are scaled to the nearest even size below, which 4:2:0 needs.
 *
 * <p>Encoding runs on a thread of its own, so the next frame is composed while this one is
 * encoded: {@link #write} copies the picture and returns; {@link #awaitWritten()} waits until
 * every frame given is in the file. A failure of the encoding thread is thrown by the next call.
 */
public final class H264Mp4Writer implements VideoWriter {

    /** The x264 preset of the overlay videos. */
    public static final String PRESET = "veryfast";
    /** The x264 tuning of the overlay videos. */
    public static final String TUNE = "zerolatency";
    /** The x264 constant rate factor of the overlay videos. */
    public static final int CRF = 23;

    private final Path file;
    private final int width;
    private final int height;
    private final int outWidth;
    private final int outHeight;
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVStream stream;
    private AVFrame yuv;
    private AVPacket packet;
    private SwsContext sws;
    private final BytePointer[] bgr = new BytePointer[2];
    private final Future<?>[] bgrInUse = new Future<?>[2];
    private int nextBuffer;
    /** Volatile: awaited by the committing thread too. */
    private volatile Future<?> lastWrite;

    private volatile IOException failure;
    private final ExecutorService encoder;
    private PointerPointer<BytePointer> bgrPlanes;
    private IntPointer bgrStride;
    private long frames;
    private boolean closed;

    /** @param width, height the size of the pictures that will be written */
    public H264Mp4Writer(Path file, int width, int height, double frameRate, String preset) throws IOException {
        this.file = file;
        this.width = width;
        this.height = height;
        this.outWidth = Math.max(2, width & ~1);
        this.outHeight = Math.max(2, height & ~1);
        this.encoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "overlay-encoder " + file.getFileName());
            t.setDaemon(true);
            return t;
        });
        try {
            open(frameRate, preset);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private void open(double frameRate, String preset) throws IOException {
        AVCodec x264 = avcodec_find_encoder_by_name("libx264");
        if (x264 == null) {
            throw new IOException("this FFmpeg build has no libx264 encoder");
        }
        format = new AVFormatContext(null);
        check(avformat_alloc_output_context2(format, null, "mp4", file.toString()), "prepare");
        AVRational rate = av_d2q(frameRate, 100_000);
        codec = avcodec_alloc_context3(x264);
        codec.width(outWidth)
                .height(outHeight)
                .pix_fmt(AV_PIX_FMT_YUV420P)
                .time_base(av_inv_q(rate))
                .framerate(rate)
                .gop_size((int) Math.max(1, Math.round(frameRate * 2)))
                .thread_count(0);
        if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            codec.flags(codec.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        AVDictionary codecOptions = new AVDictionary(null);
        av_dict_set(codecOptions, "preset", preset, 0);
        av_dict_set(codecOptions, "tune", TUNE, 0);
        av_dict_set(codecOptions, "crf", Integer.toString(CRF), 0);
        try {
            check(avcodec_open2(codec, x264, codecOptions), "start H.264 encoding into");
        } finally {
            av_dict_free(codecOptions);
        }
        stream = avformat_new_stream(format, null);
        check(avcodec_parameters_from_context(stream.codecpar(), codec), "describe the stream of");
        stream.time_base(codec.time_base());
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "create");
        format.pb(pb);
        AVDictionary muxOptions = new AVDictionary(null);
        av_dict_set(muxOptions, "movflags", "frag_custom+empty_moov+default_base_moof", 0);
        try {
            check(avformat_write_header(format, muxOptions), "start");
        } finally {
            av_dict_free(muxOptions);
        }
        yuv = av_frame_alloc();
        yuv.format(AV_PIX_FMT_YUV420P).width(outWidth).height(outHeight);
        check(av_frame_get_buffer(yuv, 32), "allocate a picture for");
        packet = av_packet_alloc();
        sws = sws_getContext(
                width,
                height,
                AV_PIX_FMT_BGR24,
                outWidth,
                outHeight,
                AV_PIX_FMT_YUV420P,
                SWS_BILINEAR,
                null,
                null,
                (double[]) null);
        bgr[0] = new BytePointer((long) width * height * 3);
        bgr[1] = new BytePointer((long) width * height * 3);
        bgrPlanes = new PointerPointer<>(4); // sws_scale reads four plane pointers, even for a packed format
        bgrStride = new IntPointer(new int[] {width * 3, 0, 0, 0});
    }

    /** @param picture a TYPE_3BYTE_BGR picture of the size given at construction */
    @Override
    public void write(BufferedImage picture) throws IOException {
        write(picture, () -> {});
    }

    /**
     * Queues the picture for encoding and returns once it is copied.
     *
     * @param afterWritten run on the encoding thread once the frame is in the file
     */
    @Override
    public void write(BufferedImage picture, Runnable afterWritten) throws IOException {
        if (picture.getType() != BufferedImage.TYPE_3BYTE_BGR
                || picture.getWidth() != width
                || picture.getHeight() != height) {
            throw new IllegalArgumentException("frame " + frames + " for " + file + " is " + picture.getWidth() + "x"
                    + picture.getHeight() + " of type " + picture.getType() + ", the video takes " + width + "x"
                    + height
                    + " 3-byte BGR");
        }
        rethrow();
        int slot = nextBuffer;
        nextBuffer ^= 1;
        await(bgrInUse[slot]);
        rethrow();
        byte[] pixels = ((DataBufferByte) picture.getRaster().getDataBuffer()).getData();
        bgr[slot].position(0).put(pixels, 0, width * height * 3);
        long index = frames++;
        lastWrite = encoder.submit(() -> {
            if (failure != null) {
                return;
            }
            try {
                encode(slot, index);
                afterWritten.run();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException("cannot write frame " + index + " into " + file + ": " + e.getMessage(), e);
            }
        });
        bgrInUse[slot] = lastWrite;
    }

    private void encode(int slot, long index) throws IOException {
        check(av_frame_make_writable(yuv), "prepare frame " + index + " of");
        bgrPlanes.put(0, bgr[slot]);
        sws_scale(sws, bgrPlanes, bgrStride, 0, height, yuv.data(), yuv.linesize());
        yuv.pts(index);
        check(avcodec_send_frame(codec, yuv), "encode frame " + index + " into");
        drain();
    }

    /** Waits until every frame given to {@link #write} is in the file. */
    @Override
    public void awaitWritten() throws IOException {
        await(lastWrite);
        rethrow();
    }

    private static void await(Future<?> f) throws IOException {
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the overlay encoder");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private void rethrow() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes the packets the encoder has, each as a fragment of its own, flushed to the file. */
    private void drain() throws IOException {
        while (true) {
            int code = avcodec_receive_packet(codec, packet);
            if (code == AVERROR_EAGAIN() || code == AVERROR_EOF) {
                return;
            }
            check(code, "encode");
            packet.duration(1);
            av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
            packet.stream_index(stream.index());
            try {
                check(av_write_frame(format, packet), "write");
            } finally {
                av_packet_unref(packet);
            }
            check(av_write_frame(format, null), "cut a fragment of");
            avio_flush(format.pb());
        }
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            awaitWritten();
            await(encoder.submit(() -> {
                try {
                    check(avcodec_send_frame(codec, null), "finish encoding");
                    drain();
                    check(av_write_trailer(format), "finish");
                } catch (IOException e) {
                    failure = e;
                }
            }));
            rethrow();
        } finally {
            encoder.shutdown();
            try {
                encoder.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release();
        }
    }

    private void release() {
        if (format != null) {
            if (format.pb() != null) {
                avio_closep(format.pb());
            }
            avformat_free_context(format);
            format = null;
        }
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (yuv != null) {
            av_frame_free(yuv);
            yuv = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        for (int i = 0; i < bgr.length; i++) {
            if (bgr[i] != null) {
                bgr[i].close();
                bgr[i] = null;
            }
        }
        if (bgrPlanes != null) {
            bgrPlanes.close();
            bgrStride.close();
            bgrPlanes = null;
        }
    }

    private void check(int code, String what) throws IOException {
        FFmpegError.check(code, what, file);
    }
}
