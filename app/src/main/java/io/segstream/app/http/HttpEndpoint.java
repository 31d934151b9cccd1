package io.segstream.ingest.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.ingest.camera.CameraStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A service's HTTP endpoint: {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health}, a JSON status answered 200 when healthy and 503 otherwise (HEAD too, other
 * methods 405). {@value #THREADS} requests are served at once and a client that takes longer than
 * {@value #REQUEST_SECONDS} s to send its request is cut off, so a slow or idle client never holds
 * /health from a liveness probe. For ingest the
 * status lists every camera ({@link #cameras}); the segmenter service reports its worker.
 */
public final class HttpEndpoint implements AutoCloseable {

    /** What {@code /health} answers. */
    public record Health(boolean healthy, String json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests served at once; a slow or idle client holds one for at most {@link #REQUEST_SECONDS}. */
    static final int THREADS = 4;
    /** How long a client may take to send its request, and to take the answer, before it is cut off. */
    static final int REQUEST_SECONDS = 5;

    static {
        // The JDK's server reads these once: without them a client that sends half a request line holds its
        // thread for ever. Settings given on the command line win.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
        }
    }

    private final HttpServer server;

    public HttpEndpoint(InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/health", ex -> {
            Health h = health.get();
            reply(ex, h.healthy() ? 200 : 503, "application/json", h.json());
        });
        server.setExecutor(Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "segstream-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The health of an ingest process: UP when every camera is healthy, else DEGRADED; each camera's status. */
    public static Supplier<Health> cameras(Supplier<List<CameraStatus>> status) {
        return () -> {
            List<CameraStatus> cameras = status.get();
            boolean healthy = cameras.stream().allMatch(CameraStatus::healthy);
            return new Health(healthy, cameraJson(healthy, cameras));
        };
    }

    static String cameraJson(boolean healthy, List<CameraStatus> cameras) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", healthy ? "UP" : "DEGRADED");
        ArrayNode list = root.putArray("cameras");
        for (CameraStatus c : cameras) {
            ObjectNode n = list.addObject();
            n.put("camera", c.camera());
            n.put("input", c.input());
            n.put("mode", c.live() ? "live" : "recorded");
            n.put("state", c.state().name().toLowerCase());
            n.put("healthy", c.healthy());
            c.lastFrameAge().ifPresentOrElse(a -> n.put("lastFrameAgeMs", a.toMillis()), () -> n.putNull("lastFrameAgeMs"));
            n.put("published", c.published());
            n.put("dropped", c.dropped());
            n.put("reconnects", c.reconnects());
            n.put("sessions", c.sessions());
            c.lastError().ifPresentOrElse(e -> n.put("lastError", e), () -> n.putNull("lastError"));
        }
        return root.toString();
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(code, -1);
                return;
            }
            ex.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
