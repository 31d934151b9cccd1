package io.segstream.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A full-range (JPEG) YUV 4:2:0 picture: the Y plane ({@code width x height}), then U and V
 * ({@code ceil(width/2) x ceil(height/2)} each), tightly packed in one array.
 */
public final class YuvPicture implements Picture {

    private final int width;
    private final int height;
    private final byte[] data;

    public YuvPicture(int width, int height, byte[] data) {
        if (data.length < size(width, height)) {
            throw new IllegalArgumentException("a " + width + "x" + height + " YUV 4:2:0 picture needs "
                    + size(width, height) + " bytes, got " + data.length);
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** Bytes of a {@code width x height} picture. */
    public static int size(int width, int height) {
        return width * height + 2 * chromaWidth(width) * chromaHeight(height);
    }

    public static int chromaWidth(int width) {
        return (width + 1) / 2;
    }

    public static int chromaHeight(int height) {
        return (height + 1) / 2;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    /** The planes; not a copy. */
    public byte[] data() {
        return data;
    }

    /** Offset of plane 0 (Y), 1 (U) or 2 (V) in {@link #data()}. */
    public int offset(int plane) {
        int luma = width * height;
        int chroma = chromaWidth(width) * chromaHeight(height);
        return plane == 0 ? 0 : plane == 1 ? luma : luma + chroma;
    }

    /** Row length of a plane. */
    public int stride(int plane) {
        return plane == 0 ? width : chromaWidth(width);
    }

    /** Rows of a plane. */
    public int rows(int plane) {
        return plane == 0 ? height : chromaHeight(height);
    }

    @Override
    public Picture copy() {
        return new YuvPicture(width, height, data.clone());
    }

    @Override
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        SwsContext sws = sws_getContext(
                width, height, AV_PIX_FMT_YUVJ420P, width, height, AV_PIX_FMT_BGR24, SWS_BILINEAR, null, null, (double
                                [])
                        null);
        try (BytePointer src = new BytePointer(data);
                BytePointer dst = new BytePointer((long) width * height * 3);
                PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(4);
                PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(4);
                IntPointer srcStrides = new IntPointer(new int[] {stride(0), stride(1), stride(2), 0});
                IntPointer dstStrides = new IntPointer(new int[] {width * 3, 0, 0, 0})) {
            for (int p = 0; p < 3; p++) {
                srcPlanes.put(p, new BytePointer(src).position(offset(p)));
            }
            dstPlanes.put(0, dst);
            sws_scale(sws, srcPlanes, srcStrides, 0, height, dstPlanes, dstStrides);
            dst.get(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
        } finally {
            sws_freeContext(sws);
        }
        return image;
    }
}
