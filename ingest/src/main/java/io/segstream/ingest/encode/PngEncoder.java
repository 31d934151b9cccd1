package io.segstream.ingest.encode;

import io.segstream.media.Picture;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes pictures as PNG, for lossless runs. */
public final class PngEncoder implements PictureEncoder {

    @Override
    public byte[] encode(Picture picture) {
        BufferedImage image = picture.toImage();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        // in memory: ImageIO's default file cache fails while the JVM shuts down (see MaskCodec)
        try (MemoryCacheImageOutputStream cache = new MemoryCacheImageOutputStream(bytes)) {
            ImageIO.write(image, "png", cache);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        // nothing held
    }
}
