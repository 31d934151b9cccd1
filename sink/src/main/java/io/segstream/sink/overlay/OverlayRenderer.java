package io.segstream.sink.overlay;

import io.segstream.media.PictureDecoder;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Taxonomy;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One overlay frame: the frame picture decoded, its mask blended over it, status line and legend
 * drawn. One per thread; {@link #close()} frees its decoder.
 */
public final class OverlayRenderer implements AutoCloseable {

    /** Taxonomies whose colour tables are kept: a few models at a time per sink thread. */
    private static final int STYLES_KEPT = 16;

    private final double alpha;
    private final PictureDecoder decoder = new PictureDecoder();
    private final Map<Taxonomy, Style> styles = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Taxonomy, Style> eldest) {
            return size() > STYLES_KEPT;
        }
    };

    private record Style(OverlayComposer composer, OverlayAnnotator annotator) {}

    /** @param alpha opacity of the class colours, 0..1 */
    public OverlayRenderer(double alpha) {
        this.alpha = alpha;
    }

    /**
     * @param picture   the frame record's value, JPEG or PNG
     * @param mask      the class map, null without one
     * @param fractions the class fractions of the mask, for the legend
     * @param rate      frames per second through the sink for the camera, NaN when unknown
     * @param taxonomy  the classes of the model that made the mask: their colours and legend names
     */
    public BufferedImage render(
            byte[] picture,
            String camera,
            FrameMeta frame,
            MaskStatus status,
            LabelMap mask,
            Map<String, Double> fractions,
            double rate,
            Taxonomy taxonomy) {
        BufferedImage img = decoder.decode(picture);
        Style style = styles.computeIfAbsent(
                taxonomy, t -> new Style(new OverlayComposer(t, alpha), new OverlayAnnotator(t)));
        if (mask != null) {
            style.composer().blend(img, mask);
        }
        style.annotator().annotate(img, camera, frame.captureMicros(), frame.sequence(), rate, status, fractions);
        return img;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
