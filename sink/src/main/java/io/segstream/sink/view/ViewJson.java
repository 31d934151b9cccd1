package io.segstream.sink.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.SegmentationClass;
import java.util.Locale;

/** The live view's JSON: a camera's state for the index, and its figures for its page. */
final class ViewJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ViewJson() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A camera's state as the index lists it; {@code instance}: the view that serves it. */
    static ObjectNode state(CameraView.State s, String instance, long nowMs) {
        ObjectNode c = JSON.createObjectNode();
        c.put("camera", s.camera());
        c.put("url", instance);
        c.put("kind", s.live() ? "live" : "recorded");
        c.put("state", s.ended() ? "ended" : "running");
        c.put("session", String.valueOf(s.session()));
        c.put("model", s.model());
        number(c, "fps", s.rate());
        c.put("frames", s.frames());
        if (s.lengthHint() > 0) {
            c.put("length", s.lengthHint());
        }
        ObjectNode statuses = c.putObject("statuses");
        for (MaskStatus m : MaskStatus.values()) {
            statuses.put(m.wireName(), s.statuses().getOrDefault(m, 0L));
        }
        c.put("lastFrameAgeMs", Math.max(0, nowMs - s.lastFrameMs()));
        c.put("version", s.version());
        return c;
    }

    /** A camera's state, its model's classes and colours, and the figures of its frames after version {@code after}. */
    static ObjectNode camera(CameraView view, CameraView.State s, long after, String instance, long nowMs) {
        ObjectNode out = state(s, instance, nowMs);
        ArrayNode classes = out.putArray("classes");
        if (s.taxonomy() != null) {
            for (SegmentationClass k : s.taxonomy().classes()) {
                classes.addObject()
                        .put("name", k.name())
                        .put("color", String.format(Locale.ROOT, "#%06x", k.rgb() & 0xFFFFFF));
            }
        }
        ArrayNode points = out.putArray("points");
        for (CameraView.Point p : view.pointsAfter(after)) {
            ObjectNode o = points.addObject();
            o.put("version", p.version());
            o.put("sequence", p.sequence());
            o.put("captureMs", p.captureMs());
            o.put("status", p.status().wireName());
            number(o, "endToEndMs", p.endToEndMs());
            number(o, "drivable", p.drivable());
            ObjectNode f = o.putObject("fractions");
            p.fractions().forEach((k, v) -> {
                if (v > 0) {
                    f.put(k, Math.round(v * 10000) / 10000.0);
                }
            });
            ObjectNode n = o.putObject("nearest");
            p.nearest().forEach(n::put);
        }
        return out;
    }

    /** A figure to three decimals; null when it is not a number (no frame yet, no corridor). */
    private static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, Math.round(v * 1000) / 1000.0);
        } else {
            o.putNull(field);
        }
    }
}
