package io.segstream.ingest.source;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * Copies a BGR24 frame from FFmpeg into a {@link BufferedImage#TYPE_3BYTE_BGR}, honouring the row
 * stride. JavaCV's own converter guesses the channel count from stride / width, which goes wrong
 * when FFmpeg pads rows (a 96-pixel-wide frame comes out as 4 channels).
 */
final class BgrFrames {

    private BufferedImage image;

    /** The frame's pixels, in an image this object reuses on the next call. */
    BufferedImage toImage(Frame frame, int width, int height) {
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        int stride = frame.imageStride;
        int row = width * 3;
        if (stride == row) {
            src.position(0);
            src.get(dst, 0, row * height);
        } else {
            for (int y = 0; y < height; y++) {
                src.position(y * stride);
                src.get(dst, y * row, row);
            }
        }
        return image;
    }
}
