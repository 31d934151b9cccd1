package io.segstream.sink.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.segstream.runtime.HttpServers;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live view's HTTP plumbing: GET only, bounded queries parsed once, JSON and errors sent alike. */
final class ViewExchanges {

    private static final Logger LOG = LoggerFactory.getLogger(ViewExchanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest query string taken; a longer one is answered 414. */
    static final int MAX_QUERY = 1024;

    private ViewExchanges() {}

    /** A request's handling, given its parsed query. */
    interface Handler {
        void handle(HttpExchange ex, Map<String, String> query) throws Exception;
    }

    /** {@code h} for GET and HEAD requests with a query of at most {@link #MAX_QUERY} characters; a viewer gone away is no error. */
    static HttpHandler get(Handler h) {
        return ex -> {
            try (ex) {
                if (!HttpServers.readOnly(ex)) {
                    return;
                }
                String raw = ex.getRequestURI().getRawQuery();
                if (raw != null && raw.length() > MAX_QUERY) {
                    error(ex, 414, "the query is longer than " + MAX_QUERY + " characters");
                    return;
                }
                h.handle(ex, query(raw));
            } catch (IOException e) {
                LOG.debug("A viewer went away: {}", e.toString());
            } catch (Exception e) {
                LOG.warn("Live view request {} failed: {}", ex.getRequestURI(), e.toString(), e);
            }
        };
    }

    /** The query's parameters, the first of each name; at most 16 read, a malformed escape ignored. */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&", 16)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    q.putIfAbsent(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    // a malformed escape: the parameter is ignored
                }
            }
        }
        return q;
    }

    /** The {@code after} version a viewer gives; -1 (everything) when absent or not a number. */
    static long after(Map<String, String> q) {
        try {
            return Long.parseLong(q.getOrDefault("after", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void error(HttpExchange ex, int code, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("error", message);
        sendJson(ex, code, out);
    }

    static void sendJson(HttpExchange ex, int code, JsonNode body) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        send(ex, code, "application/json", JSON.writeValueAsBytes(body));
    }

    static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        HttpServers.send(ex, code, type, body);
    }
}
