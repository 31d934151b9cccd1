package io.segstream.protocol;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the JSON form of {@link FrameStats}, of the end-of-stream record with its summary and of the
 * camera-stats windows.
 * The field names are the public contract documented in docs/wire-format.md.
 */
public final class StatsJson {

    private StatsJson() {}

    public static String frame(FrameStats s) {
        FrameMeta f = s.frame();
        StringBuilder b = new StringBuilder(1024).append('{');
        field(b, "camera", s.camera()).append(',');
        field(b, "session", f.session().toString()).append(',');
        number(b, "sequence", f.sequence()).append(',');
        number(b, "ptsUs", f.ptsMicros()).append(',');
        number(b, "captureUs", f.captureMicros()).append(',');
        number(b, "width", f.width()).append(',');
        number(b, "height", f.height()).append(',');
        field(b, "model", s.model()).append(',');
        field(b, "status", s.status().wireName()).append(',');
        b.append("\"classes\":{");
        int i = 0;
        for (Map.Entry<String, Double> e : s.classFractions().entrySet()) {
            if (i++ > 0) {
                b.append(',');
            }
            decimal(b, e.getKey(), e.getValue());
        }
        b.append("},\"driving\":");
        if (s.driving().isEmpty()) {
            b.append("null");
        } else {
            DrivingFigures d = s.driving().get();
            b.append("{\"corridor\":{");
            decimal(b, "drivable", d.drivable());
            b.append("},\"obstacles\":{");
            int k = 0;
            for (Map.Entry<String, DrivingFigures.Obstacle> e : d.obstacles().entrySet()) {
                if (k++ > 0) {
                    b.append(',');
                }
                quote(b, e.getKey())
                        .append(":{\"present\":")
                        .append(e.getValue().present())
                        .append(',');
                decimal(b, "nearestRow", e.getValue().nearestRow().orElse(Double.NaN))
                        .append('}');
            }
            b.append("}}");
        }
        b.append(",\"latencyMs\":{");
        FrameStats.Latencies l = s.latencies();
        decimal(b, "ingest", l.ingestMs()).append(',');
        decimal(b, "segment", l.segmentMs()).append(',');
        decimal(b, "inference", l.inferenceMs()).append(',');
        decimal(b, "endToEnd", l.endToEndMs());
        return b.append("}}").toString();
    }

    /** The end-of-stream record of a session, with its summary (also the session's summary.json). */
    public static String endOfStream(String camera, EndOfStream eos, AggregateStats summary) {
        StringBuilder b = new StringBuilder(1024).append('{');
        field(b, "camera", camera).append(',');
        field(b, "session", eos.session().toString()).append(',');
        b.append("\"endOfStream\":true,");
        number(b, "frames", eos.frameCount()).append(",\"summary\":");
        aggregate(b, summary);
        return b.append('}').toString();
    }

    /**
     * A camera-stats record: one tumbling window of one camera.
     *
     * @param startMs window start, ms since the epoch (capture time), inclusive
     * @param sizeMs  window length, ms
     */
    public static String window(String camera, long startMs, long sizeMs, AggregateStats stats) {
        StringBuilder b = new StringBuilder(1024).append('{');
        field(b, "camera", camera).append(",\"window\":{");
        field(b, "start", Instant.ofEpochMilli(startMs).toString()).append(',');
        number(b, "startMs", startMs).append(',');
        number(b, "endMs", startMs + sizeMs).append(',');
        number(b, "sizeMs", sizeMs).append("},");
        double seconds = sizeMs / 1000.0;
        decimal(b, "framesPerSecond", stats.frames() / seconds).append(',');
        decimal(b, "okPerSecond", stats.ok() / seconds).append(',');
        aggregateFields(b, stats);
        return b.append('}').toString();
    }

    private static void aggregate(StringBuilder b, AggregateStats s) {
        b.append('{');
        aggregateFields(b, s);
        b.append('}');
    }

    private static void aggregateFields(StringBuilder b, AggregateStats s) {
        number(b, "frames", s.frames()).append(',');
        number(b, "ok", s.ok()).append(',');
        number(b, "skipped", s.skipped()).append(',');
        number(b, "failed", s.failed()).append(',');
        number(b, "missing", s.missing()).append(',');
        number(b, "lost", s.lost()).append(",\"classes\":{");
        int i = 0;
        for (Map.Entry<String, Double> e : s.meanClassFractions().entrySet()) {
            if (i++ > 0) {
                b.append(',');
            }
            decimal(b, e.getKey(), e.getValue());
        }
        b.append("},\"latencyMs\":{\"endToEnd\":");
        percentiles(b, s.endToEndMs());
        b.append(",\"inference\":");
        percentiles(b, s.inferenceMs());
        b.append('}');
    }

    private static void percentiles(StringBuilder b, AggregateStats.Percentiles p) {
        b.append('{');
        decimal(b, "p50", p.p50()).append(',');
        decimal(b, "p90", p.p90()).append(',');
        decimal(b, "p99", p.p99()).append(',');
        decimal(b, "max", p.max());
        b.append('}');
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        return quote(b, name).append(':').append(quote(new StringBuilder(), value));
    }

    private static StringBuilder number(StringBuilder b, String name, long value) {
        return quote(b, name).append(':').append(value);
    }

    private static StringBuilder decimal(StringBuilder b, String name, double value) {
        quote(b, name).append(':');
        return Double.isFinite(value) ? b.append(String.format(Locale.ROOT, "%.6f", value)) : b.append("null");
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
