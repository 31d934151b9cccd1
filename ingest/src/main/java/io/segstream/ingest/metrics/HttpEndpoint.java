package io.segstream.ingest.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.ingest.CameraStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The ingest process's HTTP endpoint: {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health}, a JSON status of every camera, answered 200 when all are healthy and 503
 * otherwise (a live camera reconnecting, a recorded input that failed).
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    public HttpEndpoint(InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<List<CameraStatus>> cameras)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/health", ex -> {
            List<CameraStatus> status = cameras.get();
            boolean healthy = status.stream().allMatch(CameraStatus::healthy);
            reply(ex, healthy ? 200 : 503, "application/json", health(healthy, status));
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    static String health(boolean healthy, List<CameraStatus> cameras) {
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
            if (!ex.getRequestMethod().equals("GET")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
