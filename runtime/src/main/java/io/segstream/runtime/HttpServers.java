package io.segstream.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's HTTP server as the services' endpoints and the sink's live view run it: up to a given
 * number of daemon threads (started as needed, idle ones end), a client that takes longer than
 * {@value #REQUEST_SECONDS} s to send its request line and headers is cut off (checked every
 * {@value #CHECK_MILLIS} ms), and one that takes longer than {@value #RESPONSE_SECONDS} s to take
 * the reply. The JDK's server reads a request in one of these threads, so a slow client holds a
 * thread until it is cut off: with enough threads for many such clients and a short cut-off, a
 * probe of {@code /health} still finds a free thread at once.
 */
public final class HttpServers {

    /** The longest a client may take to send its request line and headers. */
    public static final int REQUEST_SECONDS = 1;
    /** The longest a client may take to take the reply. */
    public static final int RESPONSE_SECONDS = 5;
    /** How often the cut-offs are checked. */
    public static final int CHECK_MILLIS = 100;

    static {
        // The JDK's server reads these once, when its first server starts; settings given on the command line win.
        setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", RESPONSE_SECONDS);
        setIfAbsent("sun.net.httpserver.timerMillis", CHECK_MILLIS);
    }

    private static void setIfAbsent(String key, int value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(value));
        }
    }

    private HttpServers() {}

    /** A server on {@code address} (not started) of at most {@code threads} threads named {@code name}. */
    public static HttpServer create(InetSocketAddress address, int backlog, int threads, String name)
            throws IOException {
        HttpServer server = HttpServer.create(address, backlog);
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        server.setExecutor(pool);
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
