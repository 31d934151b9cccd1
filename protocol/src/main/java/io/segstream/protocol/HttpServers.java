package io.segstream.protocol;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server as the services' endpoints and the sink's live view run it: a fixed number
 * of daemon threads, and a client that takes longer than {@value #REQUEST_SECONDS} s to send its
 * request or read the reply is cut off, so a slow or idle client never holds a thread for long.
 */
public final class HttpServers {

    /** The longest a client may take to send its request, and to take the reply. */
    public static final int REQUEST_SECONDS = 5;

    static {
        // The JDK's server reads these once, when its first server starts; settings given on the command line win.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
        }
    }

    private HttpServers() {}

    /** A server on {@code address} (not started) whose {@code threads} threads are named {@code name}. */
    public static HttpServer create(InetSocketAddress address, int backlog, int threads, String name)
            throws IOException {
        HttpServer server = HttpServer.create(address, backlog);
        server.setExecutor(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }));
        return server;
    }

    /** Whether the request is a GET or HEAD; any other is answered 405 here. */
    public static boolean readOnly(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return false;
    }

    /** Sends {@code body} as {@code type} with {@code code}; to a HEAD request the headers only. */
    public static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops {@code server} at once, with the threads of its executor. */
    public static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
