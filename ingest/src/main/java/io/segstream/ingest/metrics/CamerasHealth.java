package io.segstream.ingest.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.ingest.camera.CameraStatus;
import java.util.List;
import java.util.Locale;

/** The health of an ingest process: UP when every camera is healthy, else DEGRADED; each camera's status. */
public final class CamerasHealth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CamerasHealth() {}

    public static boolean healthy(List<CameraStatus> cameras) {
        return cameras.stream().allMatch(CameraStatus::healthy);
    }

    /** The JSON {@code /health} answers: status, then one object per camera. */
    public static String json(List<CameraStatus> cameras) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", healthy(cameras) ? "UP" : "DEGRADED");
        ArrayNode list = root.putArray("cameras");
        for (CameraStatus c : cameras) {
            ObjectNode n = list.addObject();
            n.put("camera", c.camera());
            n.put("input", c.input());
            n.put("mode", c.live() ? "live" : "recorded");
            n.put("state", c.state().name().toLowerCase(Locale.ROOT));
            n.put("healthy", c.healthy());
            c.lastFrameAge()
                    .ifPresentOrElse(a -> n.put("lastFrameAgeMs", a.toMillis()), () -> n.putNull("lastFrameAgeMs"));
            n.put("published", c.published());
            n.put("dropped", c.dropped());
            n.put("reconnects", c.reconnects());
            n.put("sessions", c.sessions());
            c.lastError().ifPresentOrElse(e -> n.put("lastError", e), () -> n.putNull("lastError"));
        }
        return root.toString();
    }
}
