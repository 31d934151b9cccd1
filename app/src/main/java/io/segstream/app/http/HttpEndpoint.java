package io.segstream.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.runtime.HttpServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A service's HTTP endpoint: {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health}, a JSON status answered 200 when healthy and 503 otherwise (HEAD too, other
 * methods 405). {@value #THREADS} requests are served at once and a client that takes longer than
 * {@value #REQUEST_SECONDS} s to send its request is cut off ({@link HttpServers}), so a slow or idle client never keeps
 * /health from a liveness probe. Each service says what its health is (ingest: every camera; the
 * segmenter: its worker and model; the sink: the state of Kafka Streams).
 */
public final class HttpEndpoint implements AutoCloseable {

    /** What {@code /health} answers. */
    public record Health(boolean healthy, String json) {}

    /**
     * Requests served at once (threads start as needed); a client that sends its request slowly holds
     * one for at most {@link #REQUEST_SECONDS} s, so this many such clients leave /health its thread.
     */
    static final int THREADS = 32;
    /** How long a client may take to send its request, and to take the answer, before it is cut off. */
    static final int REQUEST_SECONDS = HttpServers.REQUEST_SECONDS;

    private final HttpServer server;

    public HttpEndpoint(InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws IOException {
        server = HttpServers.create(address, 16, THREADS, "segstream-http");
        server.createContext(
                "/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", ex -> {
            Health h = health.get();
            reply(ex, h.healthy() ? 200 : 503, "application/json", h.json());
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            if (!HttpServers.readOnly(ex)) {
                return;
            }
            HttpServers.send(ex, code, type, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        HttpServers.stop(server);
    }
}
