package io.segstream.ingest.encode;

import io.segstream.ingest.source.Picture;
import io.segstream.protocol.ImageEncoding;

/** Turns a decoded picture into the bytes of a frame record. Not thread-safe. */
public interface PictureEncoder extends AutoCloseable {

    byte[] encode(Picture picture);

    @Override
    void close();

    static PictureEncoder of(ImageEncoding encoding, int jpegQuality) {
        return switch (encoding) {
            case JPEG -> new FFmpegJpegEncoder(jpegQuality);
            case PNG -> new PngEncoder();
        };
    }
}
