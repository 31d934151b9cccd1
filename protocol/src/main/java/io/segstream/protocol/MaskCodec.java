package io.segstream.protocol;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Masks travel as 8-bit greyscale PNG: lossless, and small because class maps compress well. */
public final class MaskCodec {

    private MaskCodec() {}

    public static byte[] encode(LabelMap map) {
        BufferedImage img = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(map.labels(), 0, target, 0, target.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(map.width() * map.height() / 8);
        // an in-memory cache: ImageIO's default file cache registers a shutdown hook per stream, which fails
        // (and closes the stream) while the JVM shuts down, when the last masks are still being answered
        try (MemoryCacheImageOutputStream cache = new MemoryCacheImageOutputStream(out)) {
            ImageIO.write(img, "png", cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode mask as PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes an 8-bit greyscale PNG back into a label map. The common case, non-interlaced 8-bit
     * greyscale as {@link #encode} writes it, is read directly (inflate and un-filter, about three
     * times faster than ImageIO); any other PNG goes through ImageIO.
     */
    public static LabelMap decode(byte[] png) {
        int[] size = size(png);
        FrameLimits.check("mask PNG", size[0], size[1]);
        LabelMap direct = decodeGreyscale8(png);
        return direct != null ? direct : decodeWithImageIo(png);
    }

    /**
     * Decodes a mask that must be {@code width x height} (its frame's size): a PNG whose header
     * says otherwise is refused before anything is inflated, so a small record claiming a huge
     * picture costs nothing.
     *
     * @throws MalformedRecordException when it is not such a PNG
     */
    public static LabelMap decode(byte[] png, int width, int height) {
        int[] size = size(png);
        if (size[0] != width || size[1] != height) {
            throw new MalformedRecordException(
                    "mask PNG is " + size[0] + "x" + size[1] + ", its frame " + width + "x" + height);
        }
        return decode(png);
    }

    /** Width and height from the PNG's IHDR chunk, which must come first. */
    private static int[] size(byte[] png) {
        if (png == null || png.length < 33) {
            throw new MalformedRecordException("mask is not a PNG (" + (png == null ? 0 : png.length) + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(png);
        if (b.getLong() != PNG_SIGNATURE || b.getInt(12) != 0x49484452) {
            throw new MalformedRecordException("mask is not a PNG (no PNG signature and IHDR chunk)");
        }
        return new int[] {b.getInt(16), b.getInt(20)};
    }

    private static final long PNG_SIGNATURE = 0x89504E470D0A1A0AL;

    /** The label map of a non-interlaced 8-bit greyscale PNG, or null for any other PNG. */
    private static LabelMap decodeGreyscale8(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        if (png.length < 33 || b.getLong() != PNG_SIGNATURE) {
            return null;
        }
        int width = 0;
        int height = 0;
        Inflater inflater = new Inflater();
        byte[] raw = null;
        int filled = 0;
        try {
            while (b.remaining() >= 12) {
                int length = b.getInt();
                int type = b.getInt();
                if (length < 0 || length > b.remaining() - 4) {
                    throw new MalformedRecordException("mask PNG has a chunk running past its end");
                }
                if (type == 0x49484452) { // IHDR
                    width = b.getInt(b.position());
                    height = b.getInt(b.position() + 4);
                    int depth = png[b.position() + 8];
                    int colour = png[b.position() + 9];
                    int interlace = png[b.position() + 12];
                    if (depth != 8
                            || colour != 0
                            || interlace != 0
                            || width <= 0
                            || height <= 0
                            || (long) width * height > Integer.MAX_VALUE - height) {
                        return null;
                    }
                    raw = new byte[(width + 1) * height];
                } else if (type == 0x49444154 && raw != null) { // IDAT
                    inflater.setInput(png, b.position(), length);
                    while (!inflater.needsInput() && !inflater.finished() && filled < raw.length) {
                        int n = inflater.inflate(raw, filled, raw.length - filled);
                        filled += n;
                        if (n == 0 && inflater.needsDictionary()) {
                            return null;
                        }
                    }
                } else if (type == 0x49454E44) { // IEND
                    break;
                }
                b.position(b.position() + length + 4);
            }
        } catch (DataFormatException e) {
            throw new MalformedRecordException("mask PNG data does not inflate: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        if (raw == null || filled != raw.length) {
            return raw == null ? null : failShort(filled, raw.length);
        }
        return new LabelMap(width, height, unfilter(raw, width, height));
    }

    private static LabelMap failShort(int got, int want) {
        throw new MalformedRecordException("mask PNG holds " + got + " of its " + want + " bytes of pixels");
    }

    /** Undoes the PNG row filters (one byte per pixel). */
    private static byte[] unfilter(byte[] raw, int w, int h) {
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int filter = raw[y * (w + 1)];
            int src = y * (w + 1) + 1;
            int dst = y * w;
            int up = dst - w;
            switch (filter) {
                case 0 -> System.arraycopy(raw, src, out, dst, w);
                case 1 -> {
                    int left = 0;
                    for (int x = 0; x < w; x++) {
                        left = (raw[src + x] + left) & 0xFF;
                        out[dst + x] = (byte) left;
                    }
                }
                case 2 -> {
                    for (int x = 0; x < w; x++) {
                        out[dst + x] = (byte) (raw[src + x] + (y > 0 ? out[up + x] : 0));
                    }
                }
                case 3 -> {
                    for (int x = 0; x < w; x++) {
                        int a = x > 0 ? out[dst + x - 1] & 0xFF : 0;
                        int c = y > 0 ? out[up + x] & 0xFF : 0;
                        out[dst + x] = (byte) (raw[src + x] + ((a + c) >> 1));
                    }
                }
                case 4 -> {
                    for (int x = 0; x < w; x++) {
                        int a = x > 0 ? out[dst + x - 1] & 0xFF : 0;
                        int c = y > 0 ? out[up + x] & 0xFF : 0;
                        int d = x > 0 && y > 0 ? out[up + x - 1] & 0xFF : 0;
                        int p = a + c - d;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - c);
                        int pc = Math.abs(p - d);
                        int pred = pa <= pb && pa <= pc ? a : pb <= pc ? c : d;
                        out[dst + x] = (byte) (raw[src + x] + pred);
                    }
                }
                default -> throw new MalformedRecordException("mask PNG row " + y + " has unknown filter " + filter);
            }
        }
        return out;
    }

    private static LabelMap decodeWithImageIo(byte[] png) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new MalformedRecordException("mask is not a readable PNG: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new MalformedRecordException("mask is not a PNG image (" + png.length + " bytes)");
        }
        if (img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new MalformedRecordException("mask PNG must be 8-bit greyscale, got image type " + img.getType());
        }
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        return new LabelMap(img.getWidth(), img.getHeight(), data.clone());
    }
}
