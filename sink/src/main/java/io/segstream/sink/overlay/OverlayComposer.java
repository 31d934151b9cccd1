package io.segstream.sink.overlay;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Blends the class colours of a mask over a frame, in place. */
public final class OverlayComposer {

    private final byte[][] bgrByLabel = new byte[256][];
    private final int alpha256;

    /** @param alpha opacity of the class colours, 0..1 */
    public OverlayComposer(Taxonomy taxonomy, double alpha) {
        for (int id = 0; id < taxonomy.size(); id++) {
            int rgb = taxonomy.get(id).rgb();
            bgrByLabel[id] = new byte[] {(byte) rgb, (byte) (rgb >> 8), (byte) (rgb >> 16)};
        }
        this.alpha256 = (int) Math.round(alpha * 256);
    }

    /**
     * @param frame a TYPE_3BYTE_BGR picture of the mask's size
     */
    public void blend(BufferedImage frame, LabelMap mask) {
        if (frame.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            throw new IllegalArgumentException("overlay needs a 3-byte BGR picture, got type " + frame.getType());
        }
        if (frame.getWidth() != mask.width() || frame.getHeight() != mask.height()) {
            throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height() + " does not fit the frame "
                    + frame.getWidth() + "x" + frame.getHeight());
        }
        byte[] pixels = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        byte[] labels = mask.labels();
        int keep = 256 - alpha256;
        for (int i = 0, p = 0; i < labels.length; i++, p += 3) {
            byte[] colour = bgrByLabel[labels[i] & 0xFF];
            if (colour == null) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                pixels[p + c] = (byte) (((pixels[p + c] & 0xFF) * keep + (colour[c] & 0xFF) * alpha256) >> 8);
            }
        }
    }
}
