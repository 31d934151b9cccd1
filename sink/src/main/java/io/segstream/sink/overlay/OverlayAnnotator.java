package io.segstream.sink.overlay;

import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Taxonomy;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the status line (camera, capture time, sequence, rate) across the top of an overlay frame
 * and the legend of the classes in view down its right edge; a frame without a mask gets a red
 * "no mask" tag naming why instead of the legend. Text scales with the picture height.
 */
public final class OverlayAnnotator {

    /** Classes covering less of the frame than this stay out of the legend. */
    static final double LEGEND_MIN_FRACTION = 0.01;

    static final int LEGEND_MAX_ROWS = 8;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Color BAND = new Color(0, 0, 0, 150);
    private static final Color NO_MASK = new Color(200, 0, 0);

    private final Taxonomy taxonomy;

    public OverlayAnnotator(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
    }

    /**
     * @param classFractions the frame's class fractions (empty without a mask)
     * @param status         the mask status
     * @param rate           frames per second through the sink for this camera, NaN when unknown
     */
    public void annotate(
            BufferedImage img,
            String camera,
            long captureMicros,
            long sequence,
            double rate,
            MaskStatus status,
            Map<String, Double> classFractions) {
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int size = Math.max(9, img.getHeight() / 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            FontMetrics fm = g.getFontMetrics();
            int line = fm.getHeight();
            int pad = Math.max(2, size / 3);
            String text = String.format(
                    Locale.ROOT,
                    "%s  %s  #%d  %s",
                    camera,
                    TIME.format(Instant.ofEpochSecond(0, captureMicros * 1000)),
                    sequence,
                    Double.isFinite(rate) ? String.format(Locale.ROOT, "%.1f fps", rate) : "- fps");
            band(g, 0, 0, fm.stringWidth(text) + 2 * pad, line + pad);
            g.setColor(Color.WHITE);
            g.drawString(text, pad, fm.getAscent() + pad / 2);
            if (status != MaskStatus.OK) {
                String tag = "NO MASK: " + status.wireName();
                int w = fm.stringWidth(tag) + 2 * pad;
                g.setColor(NO_MASK);
                g.fillRect(img.getWidth() - w, 0, w, line + pad);
                g.setColor(Color.WHITE);
                g.drawString(tag, img.getWidth() - w + pad, fm.getAscent() + pad / 2);
                return;
            }
            legend(g, img.getWidth(), line + pad, fm, pad, classFractions);
        } finally {
            g.dispose();
        }
    }

    private void legend(Graphics2D g, int width, int top, FontMetrics fm, int pad, Map<String, Double> fractions) {
        List<Map.Entry<String, Double>> shown = fractions.entrySet().stream()
                .filter(e -> e.getValue() >= LEGEND_MIN_FRACTION)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(LEGEND_MAX_ROWS)
                .toList();
        if (shown.isEmpty()) {
            return;
        }
        int line = fm.getHeight();
        int swatch = fm.getAscent();
        int textWidth = 0;
        for (Map.Entry<String, Double> e : shown) {
            textWidth = Math.max(textWidth, fm.stringWidth(label(e)));
        }
        int w = swatch + 3 * pad + textWidth;
        int x = width - w;
        band(g, x, top, w, shown.size() * line + pad);
        for (int i = 0; i < shown.size(); i++) {
            Map.Entry<String, Double> e = shown.get(i);
            int y = top + pad / 2 + i * line;
            g.setColor(new Color(taxonomy.byName(e.getKey()).map(c -> c.rgb()).orElse(0x808080)));
            g.fillRect(x + pad, y + (line - swatch) / 2, swatch, swatch);
            g.setColor(Color.WHITE);
            g.drawString(label(e), x + 2 * pad + swatch, y + fm.getAscent());
        }
    }

    private static String label(Map.Entry<String, Double> e) {
        return String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), e.getValue() * 100);
    }

    private static void band(Graphics2D g, int x, int y, int w, int h) {
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(BAND);
        g.fillRect(x, y, w, h);
    }
}
