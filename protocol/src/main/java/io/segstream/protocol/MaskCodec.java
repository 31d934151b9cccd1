package io.segstream.protocol;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Masks travel as 8-bit greyscale PNG: lossless, and small because class maps compress well. */
public final class MaskCodec {

    private MaskCodec() {
    }

    public static byte[] encode(LabelMap map) {
        BufferedImage img = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(map.labels(), 0, target, 0, target.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(map.width() * map.height() / 8);
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode mask as PNG", e);
        }
        return out.toByteArray();
    }

    /** Decodes an 8-bit greyscale PNG back into a label map. */
    public static LabelMap decode(byte[] png) {
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
