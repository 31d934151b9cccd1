package io.segstream.sink.overlay;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/** Blends the class colours of a mask over a frame, in place. */
public final class OverlayComposer {

    /** Per label, its colour's share of the blend (colour × alpha × 256), B, G, R; -1 for a label without colour. */
    private final int[] shareB = new int[256];

    private final int[] shareG = new int[256];
    private final int[] shareR = new int[256];
    /** Per level, the frame's share of the blend (level × (1 - alpha) × 256). */
    private final int[] keep = new int[256];

    /** @param alpha opacity of the class colours, 0..1 */
    public OverlayComposer(Taxonomy taxonomy, double alpha) {
        int alpha256 = (int) Math.round(alpha * 256);
        Arrays.fill(shareB, -1);
        for (int id = 0; id < taxonomy.size(); id++) {
            int rgb = taxonomy.get(id).rgb();
            shareB[id] = (rgb & 0xFF) * alpha256;
            shareG[id] = (rgb >> 8 & 0xFF) * alpha256;
            shareR[id] = (rgb >> 16 & 0xFF) * alpha256;
        }
        for (int v = 0; v < 256; v++) {
            keep[v] = v * (256 - alpha256);
        }
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
        for (int i = 0, p = 0; i < labels.length; i++, p += 3) {
            int label = labels[i] & 0xFF;
            int b = shareB[label];
            if (b < 0) {
                continue;
            }
            pixels[p] = (byte) ((keep[pixels[p] & 0xFF] + b) >> 8);
            pixels[p + 1] = (byte) ((keep[pixels[p + 1] & 0xFF] + shareG[label]) >> 8);
            pixels[p + 2] = (byte) ((keep[pixels[p + 2] & 0xFF] + shareR[label]) >> 8);
        }
    }
}
