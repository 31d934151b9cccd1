package io.segstream.media;

import java.awt.image.BufferedImage;

/**
 * A decoded picture: full-range YUV 4:2:0 planes straight from FFmpeg (what JPEG stores, so no
 * colour conversion on the way to the encoder), or a BGR image from a still-picture file.
 */
public sealed interface Picture permits YuvPicture, BgrPicture {

    int width();

    int height();

    /** An independent copy, safe to keep while the source reads on. */
    Picture copy();

    /** The picture as a {@link BufferedImage#TYPE_3BYTE_BGR} image (converted when it is YUV). */
    BufferedImage toImage();
}
