package io.segstream.media;

import java.awt.image.BufferedImage;

/** A picture held as a {@link BufferedImage#TYPE_3BYTE_BGR} image. */
public record BgrPicture(BufferedImage image) implements Picture {

    public BgrPicture {
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            throw new IllegalArgumentException("expected a TYPE_3BYTE_BGR image, got type " + image.getType());
        }
    }

    @Override
    public int width() {
        return image.getWidth();
    }

    @Override
    public int height() {
        return image.getHeight();
    }

    @Override
    public Picture copy() {
        return new BgrPicture(new BufferedImage(image.getColorModel(), image.copyData(null), false, null));
    }

    @Override
    public BufferedImage toImage() {
        return image;
    }
}
