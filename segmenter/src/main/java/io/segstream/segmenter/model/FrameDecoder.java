package io.segstream.segmenter.model;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes the JPEG or PNG bytes of a frame record into RGB for the model. */
public final class FrameDecoder {

    private FrameDecoder() {}

    /**
     * Decodes a frame that must be {@code width x height} (its headers' size): the picture's own
     * header is read first, and a picture of another size is refused before it is decoded, so a
     * small record claiming a huge picture costs nothing.
     *
     * @throws IllegalArgumentException when the bytes are not such a picture
     */
    public static RgbImage decode(byte[] encoded, int width, int height) {
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(
                        "frame bytes are not a JPEG or PNG picture (" + encoded.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                img = readOfSize(reader, width, height, encoded.length);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "frame bytes do not decode as JPEG or PNG (" + encoded.length + " bytes): " + e.getMessage(), e);
        }
        return toRgb(img);
    }

    private static BufferedImage readOfSize(ImageReader reader, int width, int height, int bytes) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w != width || h != height) {
            throw new IllegalArgumentException(
                    "the picture is " + w + "x" + h + ", but its headers say " + width + "x" + height);
        }
        try {
            return reader.read(0);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() + " (" + bytes + " bytes)", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a picture ImageIO can read
     */
    public static RgbImage decode(byte[] encoded) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "frame bytes do not decode as JPEG or PNG (" + encoded.length + " bytes): " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException(
                    "frame bytes are not a JPEG or PNG picture (" + encoded.length + " bytes)");
        }
        return toRgb(img);
    }

    /** The picture as RGB for the model. */
    public static RgbImage toRgbImage(BufferedImage img) {
        return toRgb(img);
    }

    static RgbImage toRgb(BufferedImage img) {
        BufferedImage bgr = img;
        if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = bgr.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[data.length];
        for (int i = 0; i < data.length; i += 3) {
            rgb[i] = data[i + 2];
            rgb[i + 1] = data[i + 1];
            rgb[i + 2] = data[i];
        }
        return new RgbImage(img.getWidth(), img.getHeight(), rgb);
    }
}
