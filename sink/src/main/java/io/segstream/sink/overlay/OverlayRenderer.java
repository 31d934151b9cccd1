package io.segstream.sink.overlay;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Taxonomy;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * One overlay frame: the frame picture decoded, its mask blended over it, status line and legend
 * drawn. One per thread; {@link #close()} frees its decoder.
 */
public final class OverlayRenderer implements AutoCloseable {

    private final OverlayComposer composer;
    private final OverlayAnnotator annotator;
    private final PictureDecoder decoder = new PictureDecoder();

    public OverlayRenderer(Taxonomy taxonomy, double alpha) {
        this.composer = new OverlayComposer(taxonomy, alpha);
        this.annotator = new OverlayAnnotator(taxonomy);
    }

    /**
     * @param picture   the frame record's value, JPEG or PNG
     * @param mask      the class map, null without one
     * @param fractions the class fractions of the mask, for the legend
     * @param rate      frames per second through the sink for the camera, NaN when unknown
     */
    public BufferedImage render(byte[] picture, String camera, FrameMeta frame, MaskStatus status, LabelMap mask,
                                Map<String, Double> fractions, double rate) {
        BufferedImage img = decoder.decode(picture);
        if (mask != null) {
            composer.blend(img, mask);
        }
        annotator.annotate(img, camera, frame.captureMicros(), frame.sequence(), rate, status, fractions);
        return img;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
