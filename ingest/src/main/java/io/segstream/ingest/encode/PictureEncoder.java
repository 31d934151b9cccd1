package io.segstream.ingest.encode;

import io.segstream.protocol.ImageEncoding;
import java.awt.image.BufferedImage;

/** Turns a decoded picture into the bytes of a frame record. Not thread-safe. */
public interface PictureEncoder extends AutoCloseable {

    byte[] encode(BufferedImage image);

    @Override
    void close();

    static PictureEncoder of(ImageEncoding encoding, int jpegQuality) {
        return switch (encoding) {
            case JPEG -> new JpegEncoder(jpegQuality);
            case PNG -> new PngEncoder();
        };
    }
}
