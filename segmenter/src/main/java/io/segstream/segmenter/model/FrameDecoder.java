package io.segstream.segmenter.model;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decodes the JPEG or PNG bytes of a frame record into RGB for the model. */
public final class FrameDecoder {

    private FrameDecoder() {
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a picture ImageIO can read
     */
    public static RgbImage decode(byte[] encoded) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("frame bytes do not decode as JPEG or PNG (" + encoded.length + " bytes): "
                    + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("frame bytes are not a JPEG or PNG picture (" + encoded.length + " bytes)");
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
