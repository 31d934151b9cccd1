package io.segstream.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A service's HTTP endpoint: {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health}, a JSON status answered 200 when healthy and 503 otherwise (HEAD too, other
 * methods 405). {@value #THREADS} requests are served at once and a client that takes longer than
 * {@value #REQUEST_SECONDS} s to send its request is cut off, so a slow or idle client never holds
 * /health from a liveness probe. Each service says what its health is (ingest: every camera; the
 * segmenter: its worker and model; the sink: the state of Kafka Streams).
 */
public final class HttpEndpoint implements AutoCloseable {

    /** What {@code /health} answers. */
    public record Health(boolean healthy, String json) {}

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
        server.createContext(
                "/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
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
