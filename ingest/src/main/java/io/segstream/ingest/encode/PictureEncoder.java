package io.segstream.ingest.encode;

import io.segstream.media.JpegEncoder;
import io.segstream.media.Picture;
import io.segstream.protocol.ImageEncoding;

/** Turns a decoded picture into the bytes of a frame record. Not thread-safe. */
public interface PictureEncoder extends AutoCloseable {

    byte[] encode(Picture picture);

    @Override
    void close();

    static PictureEncoder of(ImageEncoding encoding, int jpegQuality) {
        return switch (encoding) {
            case JPEG -> jpeg(JpegEncoder.ofQuality(jpegQuality));
            case PNG -> new PngEncoder();
        };
    }

    /** media's FFmpeg encoder: video frames as their 4:2:0 planes are, still pictures in 4:4:4. */
    private static PictureEncoder jpeg(JpegEncoder encoder) {
        return new PictureEncoder() {
            @Override
            public byte[] encode(Picture picture) {
                return encoder.encode(picture);
            }

            @Override
            public void close() {
                encoder.close();
            }
        };
    }
}
