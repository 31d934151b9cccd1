package io.segstream.media;

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
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.segstream.protocol.FrameLimits;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.PictureSize;
import io.segstream.protocol.Size;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
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
 * Decodes frame pictures: JPEG with FFmpeg's MJPEG decoder and colour conversion (SIMD, about
 * three times faster than ImageIO on large frames), PNG with ImageIO; into 3-byte BGR images
 * (the sink's overlays) or packed RGB (the model's input). One per thread; native state lives
 * until {@link #close()}.
 */
public final class PictureDecoder implements AutoCloseable {

    /**
     * Bytes past the last row that swscale's SIMD colour conversion may write (it converts 8-32
     * pixels at a time, so a row whose width is not a multiple of that runs over its end; the
     * overrun lands on the next row before that row is written, and past the buffer on the last).
     */
    private static final long SWSCALE_OVERRUN = 256;

    private AVCodecContext context;
    private AVPacket packet;
    private AVFrame frame;
    private SwsContext sws;
    private BytePointer input = new BytePointer(0L);
    private BytePointer bgr = new BytePointer(0L);
    private final PointerPointer<BytePointer> bgrPlanes = new PointerPointer<>(4);
    private final IntPointer bgrStride = new IntPointer(4);

    public BufferedImage decode(byte[] picture) {
        if (isJpeg(picture)) {
            return jpeg(picture);
        }
        return imageIo(picture);
    }

    /**
     * A picture that must be {@code width x height} (its record's headers' size) as packed RGB: the
     * picture's own header is read first, and one of another size is refused before anything is
     * decoded or allocated for it, so a small record claiming a huge picture costs nothing; a
     * size beyond {@link FrameLimits} is refused likewise.
     *
     * @throws IllegalArgumentException when the bytes are not such a picture
     */
    public byte[] decodeRgb(byte[] picture, int width, int height) {
        Optional<Size> pictured = PictureSize.read(picture);
        if (pictured.isEmpty()) {
            throw new IllegalArgumentException(
                    "frame bytes are not a JPEG or PNG picture (" + picture.length + " bytes)");
        }
        if (pictured.get().width() != width || pictured.get().height() != height) {
            throw new IllegalArgumentException(
                    "the picture is " + pictured.get().width() + "x"
                            + pictured.get().height() + ", but its headers say " + width + "x" + height);
        }
        try {
            FrameLimits.check("the picture", width, height); // before anything of that size is allocated
        } catch (MalformedRecordException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (isJpeg(picture)) {
            return converted(picture, AV_PIX_FMT_RGB24, width, height);
        }
        return rgbOf(imageIo(picture));
    }

    /** A picture of any type as packed RGB bytes. */
    public static byte[] rgbOf(BufferedImage picture) {
        byte[] data = ((DataBufferByte) bgr(picture).getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[data.length];
        for (int i = 0; i < data.length; i += 3) {
            rgb[i] = data[i + 2];
            rgb[i + 1] = data[i + 1];
            rgb[i + 2] = data[i];
        }
        return rgb;
    }

    private static boolean isJpeg(byte[] picture) {
        return picture.length > 3 && (picture[0] & 0xFF) == 0xFF && (picture[1] & 0xFF) == 0xD8;
    }

    private BufferedImage jpeg(byte[] picture) {
        decodeJpeg(picture);
        BufferedImage img = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        convertInto(AV_PIX_FMT_BGR24, ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
        return img;
    }

    /** The JPEG decoded and converted to {@code format} (3 bytes a pixel), which must be {@code width x height}. */
    private byte[] converted(byte[] picture, int format, int width, int height) {
        decodeJpeg(picture);
        if (frame.width() != width || frame.height() != height) {
            int w = frame.width();
            int h = frame.height();
            av_frame_unref(frame);
            throw new IllegalArgumentException(
                    "the picture decodes to " + w + "x" + h + ", but its headers say " + width + "x" + height);
        }
        byte[] out = new byte[width * height * 3];
        convertInto(format, out);
        return out;
    }

    /** Decodes the JPEG into {@code frame}; {@link #convertInto} takes it from there. */
    private void decodeJpeg(byte[] picture) {
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
    }

    /** The decoded frame converted to a packed 3-byte {@code format} into {@code out}; releases the frame. */
    private void convertInto(int format, byte[] out) {
        try {
            int w = frame.width();
            int h = frame.height();
            sws = sws_getCachedContext(
                    sws, w, h, frame.format(), w, h, format, SWS_BILINEAR, null, null, (double[]) null);
            long size = (long) w * h * 3;
            if (bgr.capacity() < size + SWSCALE_OVERRUN) {
                bgr.close();
                bgr = new BytePointer(size + SWSCALE_OVERRUN);
            }
            bgrPlanes.put(0, bgr);
            bgrStride.put(0, w * 3);
            sws_scale(sws, frame.data(), frame.linesize(), 0, h, bgrPlanes, bgrStride);
            bgr.position(0).get(out, 0, (int) size);
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
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "frame picture does not decode (" + picture.length + " bytes): " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("frame picture is neither JPEG nor PNG (" + picture.length + " bytes)");
        }
        return bgr(img);
    }

    /** The picture itself when it is 3-byte BGR, else a BGR copy. */
    private static BufferedImage bgr(BufferedImage img) {
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
