package io.segstream.sink.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.protocol.Taxonomy;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code report.html} of a recorded input, beside its overlay.mp4, stats.jsonl and summary.json:
 * one page that works opened from disk with no network (uPlot, from its WebJar, is inlined): the
 * overlay video, the summary as tables, and plots over the drive of the class fractions (the
 * model's names and colours), the corridor figures and the latencies. Clicking a plot moves the
 * video there.
 *
 * <p>stats.jsonl is read twice as a stream, never held: a drive of any length is folded into at
 * most {@value #MAX_POINTS} points per series (means; the nearest obstacle row and the worst
 * latency of each stretch take its maximum).
 */
public final class Report {

    public static final String FILE = "report.html";
    /** Points per series at most. */
    static final int MAX_POINTS = 2000;
    /** Classes drawn at most: those with the largest mean fraction among those that reach {@link #MIN_PEAK}. */
    static final int MAX_CLASSES = 16;
    /** A class is drawn when it covers at least this fraction of some frame. */
    static final double MIN_PEAK = 0.005;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] OBSTACLES = {"vehicles", "persons", "twoWheelers"};
    private static final String[] OBSTACLE_COLOURS = {"#1f77b4", "#d62728", "#9467bd"};

    private Report() {}

    /**
     * Writes {@code dir/report.html} from {@code dir/stats.jsonl}; {@code taxonomy} gives the
     * classes' colours (a fixed palette without it).
     */
    public static void write(Path dir, String camera, String summaryJson, Optional<Taxonomy> taxonomy)
            throws IOException {
        Path stats = dir.resolve(Recordings.STATS);
        Data data = Data.read(stats, taxonomy);
        ObjectNode page = JSON.createObjectNode();
        page.put("camera", camera);
        page.put("video", Recordings.VIDEO);
        page.set(
                "summary", summaryJson == null || summaryJson.isBlank() ? JSON.nullNode() : JSON.readTree(summaryJson));
        page.set("data", data.toJson());
        String html = template()
                .replace("/*UPLOT_CSS*/", new String(PageResources.uplotCss(), StandardCharsets.UTF_8))
                .replace(
                        "/*UPLOT_JS*/",
                        new String(PageResources.uplotJs(), StandardCharsets.UTF_8).replace("</script", "<\\/script"))
                .replace("/*TITLE*/", escapeHtml(camera))
                .replace("/*DATA*/", JSON.writeValueAsString(page).replace("<", "\\u003c"));
        Path partial = dir.resolve(FILE + ".partial");
        Files.writeString(partial, html, StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String template() {
        return PageResources.text("io/segstream/sink/output/report.html");
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The series over the drive, folded into buckets of consecutive frames. */
    static final class Data {

        private final int bucket;
        private final int points;
        private final double[] time;
        private final int[] timeCount;
        private final Map<String, Series> classes = new LinkedHashMap<>();
        private final Map<String, Integer> colours;
        private final Series drivable;
        private final Series[] nearest = new Series[OBSTACLES.length];
        private final Series endToEnd;
        private final Series endToEndMax;
        private final Series inference;
        private final long frames;
        private final int notDrawn;
        private long nextLine;
        private long firstPts = Long.MIN_VALUE;

        private Data(long frames, List<String> drawn, int notDrawn, Map<String, Integer> colours) {
            this.frames = frames;
            this.bucket = (int) Math.max(1, (frames + MAX_POINTS - 1) / MAX_POINTS);
            this.points = (int) ((frames + bucket - 1) / bucket);
            this.time = new double[points];
            this.timeCount = new int[points];
            this.colours = colours;
            this.notDrawn = notDrawn;
            drawn.forEach(c -> classes.put(c, new Series(points, false)));
            this.drivable = new Series(points, false);
            for (int i = 0; i < nearest.length; i++) {
                nearest[i] = new Series(points, true);
            }
            this.endToEnd = new Series(points, false);
            this.endToEndMax = new Series(points, true);
            this.inference = new Series(points, false);
        }

        static Data read(Path stats, Optional<Taxonomy> taxonomy) throws IOException {
            long frames = 0;
            Map<String, double[]> peakAndSum = new LinkedHashMap<>();
            try (BufferedReader r = Files.newBufferedReader(stats, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    frames++;
                    JsonNode classes = JSON.readTree(line).path("classes");
                    classes.fields().forEachRemaining(e -> {
                        double[] ps = peakAndSum.computeIfAbsent(e.getKey(), k -> new double[2]);
                        ps[0] = Math.max(ps[0], e.getValue().asDouble());
                        ps[1] += e.getValue().asDouble();
                    });
                }
            }
            List<String> drawn = peakAndSum.entrySet().stream()
                    .filter(e -> e.getValue()[0] >= MIN_PEAK)
                    .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[1]))
                    .limit(MAX_CLASSES)
                    .map(Map.Entry::getKey)
                    .toList();
            Map<String, Integer> colours = new HashMap<>();
            taxonomy.ifPresent(t -> t.classes().forEach(c -> colours.put(c.name(), c.rgb())));
            Data d = new Data(frames, drawn, peakAndSum.size() - drawn.size(), colours);
            try (BufferedReader r = Files.newBufferedReader(stats, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    d.add(JSON.readTree(line));
                }
            }
            return d;
        }

        private void add(JsonNode frame) {
            int p = (int) (nextLine++ / bucket);
            if (p >= points) {
                return; // the file grew between the two reads
            }
            long pts = frame.path("ptsUs").asLong(0);
            if (firstPts == Long.MIN_VALUE) {
                firstPts = pts;
            }
            time[p] += (pts - firstPts) / 1e6;
            timeCount[p]++;
            JsonNode fractions = frame.path("classes");
            classes.forEach((name, s) -> s.add(p, fractions.get(name)));
            JsonNode driving = frame.path("driving");
            drivable.add(p, driving.path("corridor").get("drivable"));
            for (int i = 0; i < OBSTACLES.length; i++) {
                nearest[i].add(p, driving.path("obstacles").path(OBSTACLES[i]).get("nearestRow"));
            }
            JsonNode latency = frame.path("latencyMs");
            endToEnd.add(p, latency.get("endToEnd"));
            endToEndMax.add(p, latency.get("endToEnd"));
            inference.add(p, latency.get("inference"));
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("frames", frames);
            o.put("framesPerPoint", bucket);
            o.put("classesNotDrawn", notDrawn);
            ArrayNode t = o.putArray("time");
            for (int i = 0; i < points; i++) {
                t.add(timeCount[i] == 0 ? i : round(time[i] / timeCount[i], 1e3));
            }
            ArrayNode cls = o.putArray("classes");
            int k = 0;
            for (Map.Entry<String, Series> e : classes.entrySet()) {
                ObjectNode c = cls.addObject();
                c.put("name", e.getKey());
                Integer rgb = colours.get(e.getKey());
                c.put(
                        "color",
                        rgb == null
                                ? PALETTE[k % PALETTE.length]
                                : String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF));
                c.set("values", e.getValue().toJson());
                k++;
            }
            o.set("drivable", drivable.toJson());
            ArrayNode obstacles = o.putArray("nearest");
            for (int i = 0; i < OBSTACLES.length; i++) {
                ObjectNode n = obstacles.addObject();
                n.put("name", OBSTACLES[i]);
                n.put("color", OBSTACLE_COLOURS[i]);
                n.set("values", nearest[i].toJson());
            }
            ObjectNode latency = o.putObject("latencyMs");
            latency.set("endToEnd", endToEnd.toJson());
            latency.set("endToEndMax", endToEndMax.toJson());
            latency.set("inference", inference.toJson());
            return o;
        }

        private static final String[] PALETTE = {
            "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
        };
    }

    /** One series: the mean (or the maximum) of each bucket's numbers; null where a bucket has none. */
    private static final class Series {

        private final double[] value;
        private final int[] count;
        private final boolean max;

        Series(int points, boolean max) {
            this.value = new double[points];
            this.count = new int[points];
            this.max = max;
        }

        void add(int p, JsonNode n) {
            if (n == null || !n.isNumber()) {
                return;
            }
            double v = n.asDouble();
            value[p] = count[p] == 0 ? v : max ? Math.max(value[p], v) : value[p] + v;
            count[p]++;
        }

        ArrayNode toJson() {
            ArrayNode a = JSON.createArrayNode();
            for (int i = 0; i < value.length; i++) {
                if (count[i] == 0) {
                    a.addNull();
                } else {
                    a.add(round(max ? value[i] : value[i] / count[i], 1e4));
                }
            }
            return a;
        }
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }

    /** For tests: the classes drawn. */
    static List<String> drawnClasses(Data d) {
        return new ArrayList<>(d.classes.keySet());
    }
}
