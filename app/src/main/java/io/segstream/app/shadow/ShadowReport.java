package io.segstream.app.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.overlay.OverlayComposer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import javax.imageio.ImageIO;

/**
 * The shadow's report: a table on the terminal, and a page that works opened from disk (no
 * network: the overlays are inlined) with the summaries and the most-disagreeing frames side by
 * side, production's overlay beside the candidate's, each in its own model's colours.
 */
final class ShadowReport {

    private ShadowReport() {}

    /** A frame the report shows: its picture and both masks. */
    record Shown(
            String camera,
            long sequence,
            double agreement,
            byte[] picture,
            LabelMap production,
            Taxonomy productionClasses,
            LabelMap candidate,
            Taxonomy candidateClasses) {}

    /** The {@code n} frames with the least agreement so far. */
    static final class Worst {
        private final int n;
        private final PriorityQueue<Shown> kept =
                new PriorityQueue<>(Comparator.comparingDouble(Shown::agreement).reversed());

        Worst(int n) {
            this.n = n;
        }

        void offer(double agreement, Shown frame) {
            if (n <= 0) {
                return;
            }
            if (kept.size() < n) {
                kept.add(frame);
            } else if (agreement < kept.peek().agreement()) {
                kept.poll();
                kept.add(frame);
            }
        }

        List<Shown> leastAgreeingFirst() {
            List<Shown> out = new ArrayList<>(kept);
            out.sort(Comparator.comparingDouble(Shown::agreement));
            return out;
        }
    }

    static void table(PrintStream out, ShadowTally overall, ObjectNode summary) {
        out.printf(
                Locale.ROOT,
                "frames %d, compared %d, pixel agreement mean %s min %s%n",
                overall.frames(),
                overall.compared(),
                text(summary.path("agreement").path("mean")),
                text(summary.path("agreement").path("min")));
        out.printf(
                Locale.ROOT,
                "inference ms/frame: production %s, candidate %s%n",
                text(summary.path("production").path("inferenceMs")),
                text(summary.path("candidate").path("inferenceMs")));
        out.printf(Locale.ROOT, "%-16s %8s %12s %12s %9s%n", "class", "IoU", "production", "candidate", "drift");
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("classes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            out.printf(
                    Locale.ROOT,
                    "%-16s %8s %12s %12s %9s%n",
                    e.getKey(),
                    text(c.path("iou")),
                    text(c.path("productionFraction")),
                    text(c.path("candidateFraction")),
                    text(c.path("drift")));
        }
        JsonNode d = summary.path("driving");
        out.printf(
                Locale.ROOT,
                "driving: drivable corridor mean |diff| %s; nearest row mean |diff| vehicles %s, persons %s, "
                        + "two-wheelers %s; presence disagreements %d, %d, %d%n",
                text(d.path("drivable").path("meanAbsDiff")),
                text(d.path("vehicles").path("nearestRowMeanAbsDiff")),
                text(d.path("persons").path("nearestRowMeanAbsDiff")),
                text(d.path("twoWheelers").path("nearestRowMeanAbsDiff")),
                d.path("vehicles").path("presenceDisagreements").asLong(),
                d.path("persons").path("presenceDisagreements").asLong(),
                d.path("twoWheelers").path("presenceDisagreements").asLong());
    }

    private static String text(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "-";
    }

    static void write(
            Path file,
            ShadowRun.Settings s,
            String candidate,
            String production,
            ObjectNode overall,
            List<ObjectNode> summaries,
            Worst worst)
            throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>segstream shadow: ")
                .append(esc(candidate))
                .append(" against ")
                .append(esc(production))
                .append("</title>\n<style>")
                .append(
                        "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{background:#eee}")
                .append("td:first-child,th:first-child{text-align:left}.pair{display:flex;gap:1em;flex-wrap:wrap}")
                .append("figure{margin:0}img{max-width:45vw;height:auto;border:1px solid #999}</style></head><body>\n");
        h.append("<h1>Shadow: ")
                .append(esc(candidate))
                .append(" against production ")
                .append(esc(production))
                .append("</h1>\n");
        h.append("<p>Frames of ")
                .append(esc(
                        s.cameras().map(p -> "cameras matching " + p.pattern()).orElse("every camera")))
                .append(" captured from ")
                .append(s.from())
                .append(" to ")
                .append(s.to())
                .append(" on <code>")
                .append(esc(s.production().frames()))
                .append("</code>. ")
                .append(s.mapping()
                        .map(m -> "Classes mapped by " + esc(m.getFileName().toString()) + ".")
                        .orElse("Classes of the same name compared."))
                .append("</p>\n");
        cameraTable(h, summaries);
        classTable(h, overall);
        worstFrames(h, worst, candidate, production);
        h.append("</body></html>\n");
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
    }

    private static void cameraTable(StringBuilder h, List<ObjectNode> summaries) {
        h.append("<h2>By camera</h2>\n<table><tr><th>camera</th><th>frames</th><th>compared</th><th>agreement</th>")
                .append("<th>min</th><th>drivable |diff|</th><th>production ms</th><th>candidate ms</th></tr>\n");
        for (ObjectNode sm : summaries) {
            String camera = sm.get("camera").asText();
            row(
                    h,
                    esc(camera.equals("*") ? "all" : camera),
                    Long.toString(sm.get("frames").asLong()),
                    Long.toString(sm.get("compared").asLong()),
                    text(sm.path("agreement").path("mean")),
                    text(sm.path("agreement").path("min")),
                    text(sm.path("driving").path("drivable").path("meanAbsDiff")),
                    text(sm.path("production").path("inferenceMs")),
                    text(sm.path("candidate").path("inferenceMs")));
        }
        h.append("</table>\n");
    }

    private static void classTable(StringBuilder h, ObjectNode overall) {
        h.append("<h2>Classes, over every frame compared</h2>\n<table><tr><th>class</th><th>IoU</th>")
                .append("<th>production fraction</th><th>candidate fraction</th><th>drift</th></tr>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = overall.path("classes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            row(
                    h,
                    esc(e.getKey()),
                    text(c.path("iou")),
                    text(c.path("productionFraction")),
                    text(c.path("candidateFraction")),
                    text(c.path("drift")));
        }
        h.append("</table>\n");
    }

    private static void worstFrames(StringBuilder h, Worst worst, String candidate, String production)
            throws IOException {
        h.append("<h2>The frames the two models disagree on most</h2>\n");
        for (Shown f : worst.leastAgreeingFirst()) {
            h.append("<h3>")
                    .append(esc(f.camera()))
                    .append(" frame ")
                    .append(f.sequence())
                    .append(": agreement ")
                    .append(String.format(Locale.ROOT, "%.4f", f.agreement()))
                    .append("</h3>\n<div class=\"pair\">")
                    .append(figure("production " + production, f.picture(), f.production(), f.productionClasses()))
                    .append(figure("candidate " + candidate, f.picture(), f.candidate(), f.candidateClasses()))
                    .append("</div>\n");
        }
    }

    /** A table row of cells already escaped. */
    private static void row(StringBuilder h, String... cells) {
        h.append("<tr>");
        for (String c : cells) {
            h.append("<td>").append(c).append("</td>");
        }
        h.append("</tr>\n");
    }

    private static String figure(String caption, byte[] picture, LabelMap mask, Taxonomy classes) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(picture));
        BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.createGraphics().drawImage(img, 0, 0, null);
        new OverlayComposer(classes, SinkConfig.DEFAULT_OVERLAY_ALPHA).blend(bgr, mask);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(bgr, "jpeg", jpeg);
        return "<figure><img alt=\"" + esc(caption) + "\" src=\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg.toByteArray()) + "\"><figcaption>" + esc(caption)
                + "</figcaption></figure>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
