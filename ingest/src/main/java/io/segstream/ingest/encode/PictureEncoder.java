package io.segstream.ingest.encode;

import io.segstream.protocol.ImageEncoding;
import io.segstream.ingest.source.Picture;

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
