package io.segstream.segmenter.model;

import io.segstream.media.PictureDecoder;
import io.segstream.protocol.PictureSize;
import io.segstream.protocol.Size;
import java.awt.image.BufferedImage;

/**
 * Decodes the JPEG or PNG bytes of a frame record into RGB for the model, through media's
 * {@link PictureDecoder} (FFmpeg's MJPEG decoder for JPEG). Each thread that decodes keeps one
 * decoder, and with it a few buffers of native memory, for its life: the segmenter's worker
 * threads are few and long-lived.
 */
public final class FrameDecoder {

    private static final ThreadLocal<PictureDecoder> DECODERS = ThreadLocal.withInitial(PictureDecoder::new);

    private FrameDecoder() {}

    /**
     * Decodes a frame that must be {@code width x height} (its headers' size): the picture's own
     * header is read first, and a picture of another size is refused before it is decoded, so a
     * small record claiming a huge picture costs nothing.
     *
     * @throws IllegalArgumentException when the bytes are not such a picture
     */
    public static RgbImage decode(byte[] encoded, int width, int height) {
        return new RgbImage(width, height, DECODERS.get().decodeRgb(encoded, width, height));
    }

    /**
     * A picture of whatever size its own header says.
     *
     * @throws IllegalArgumentException when the bytes are not a JPEG or PNG picture
     */
    public static RgbImage decode(byte[] encoded) {
        Size size = PictureSize.read(encoded)
                .orElseThrow(() -> new IllegalArgumentException(
                        "frame bytes are not a JPEG or PNG picture (" + encoded.length + " bytes)"));
        return decode(encoded, size.width(), size.height());
    }

    /** The picture as RGB for the model. */
    public static RgbImage toRgbImage(BufferedImage img) {
        return toRgb(img);
    }

    static RgbImage toRgb(BufferedImage img) {
        return new RgbImage(img.getWidth(), img.getHeight(), PictureDecoder.rgbOf(img));
    }
}
