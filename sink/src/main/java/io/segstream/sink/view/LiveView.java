package io.segstream.sink.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.segstream.media.JpegEncoder;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.SegmentationClass;
import io.segstream.runtime.HttpServers;
import io.segstream.sink.output.PageResources;
import io.segstream.sink.overlay.OverlayRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's live view: a read-only web UI of the cameras this instance handles, and through the
 * other instances' views ({@link Instances}) of every camera of the application.
 *
 * <ul>
 *   <li>{@code GET /}: the cameras with their state, updating by itself;</li>
 *   <li>{@code GET /camera.html?camera=ID}: a camera's overlay, live, and its charts (answered with a
 *       redirect to the instance that holds the camera when that is another);</li>
 *   <li>{@code GET /api/cameras[?scope=all]}: the cameras as JSON (with {@code scope=all}, every
 *       instance's);</li>
 *   <li>{@code GET /api/camera?camera=ID&after=V}: a camera's counters and the figures of its frames
 *       after version V;</li>
 *   <li>{@code GET /api/frame?camera=ID&after=V}: the camera's latest overlay frame as JPEG once it is
 *       newer than V (waits up to {@value #WAIT_MS} ms, then 204).</li>
 * </ul>
 *
 * <p>The transport is one request per shown frame: the viewer asks for the frame after the one it
 * shows and gets the latest. A viewer that is slow simply skips frames (counted as dropped); nothing
 * is queued for it and the sink never waits for it. A frame is rendered and encoded once however
 * many viewers ask, on a viewer's thread, at most {@code maxFps} per camera, and not at all when
 * nobody watches. Nothing in a URL becomes
 * a file path: pages are fixed class-path resources and a camera id is a key of the board.
 */
public final class LiveView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a frame request waits for a newer frame. */
    static final long WAIT_MS = 2000;
    /** Frame requests waiting at once; more are answered 503. */
    public static final int MAX_WAITING = 32;
    /** Longest query string read. */
    static final int MAX_QUERY = 1024;
    /** Most bytes read from another instance's camera list. */
    static final int MAX_PEER_BYTES = 4 << 20;
    /** Frames per second per camera rendered at most, by default (Frigate's live view defaults to 5). */
    public static final double DEFAULT_MAX_FPS = 10;
    /** FFmpeg's JPEG quantiser scale of the live frames (2 best, 31 worst). */
    static final int JPEG_QSCALE = 5;

    private final HttpServer server;
    private final LiveBoard board;
    private final String self;
    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private final BlockingQueue<Painter> painters;
    private final Map<String, CameraImages> images = new HashMap<>();
    private final long renderIntervalNanos;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Counter framesServed;
    private final Counter bytesServed;
    private final Counter framesDropped;
    private final Counter refused;
    private final Counter renders;
    private volatile Instances instances = Instances.ALONE;

    /** What renders a frame: overlay, then JPEG; one thread at a time. */
    private record Painter(OverlayRenderer overlay, JpegEncoder jpeg) {
        void close() {
            overlay.close();
            jpeg.close();
        }
    }

    /** A frame as shown: its JPEG and what the viewer is told of it. */
    private record Rendered(CameraView.Frame frame, byte[] jpeg) {}

    /**
     * Serves the view of {@code board} on {@code address}.
     *
     * @param advertisedHost the host other instances and browsers reach this one at; null: the bound address
     * @param advertisedPort the port they reach it at; 0: the bound port
     * @param alpha          opacity of the class colours over the frame
     * @param maxFps         frames per second per camera rendered at most, whatever the viewers ask
     */
    public LiveView(
            InetSocketAddress address,
            String advertisedHost,
            int advertisedPort,
            LiveBoard board,
            MeterRegistry registry,
            double alpha,
            double maxFps)
            throws IOException {
        if (!(maxFps > 0 && maxFps <= 120)) {
            throw new IllegalArgumentException("the live view's frame rate must be within (0, 120], got " + maxFps);
        }
        this.renderIntervalNanos = (long) (1e9 / maxFps);
        this.board = board;
        this.server = HttpServers.create(address, 64, MAX_WAITING + 32, "segstream-view");
        this.self = "http://" + (advertisedHost != null ? advertisedHost : address.getHostString()) + ":"
                + (advertisedPort != 0 ? advertisedPort : server.getAddress().getPort());
        int renderThreads = 2;
        this.painters = new ArrayBlockingQueue<>(renderThreads);
        for (int i = 0; i < renderThreads; i++) {
            painters.add(new Painter(new OverlayRenderer(alpha), JpegEncoder.ofQscale(JPEG_QSCALE)));
        }
        this.framesServed = Counter.builder("segstream.view.frames")
                .description("live frames sent to viewers")
                .register(registry);
        this.bytesServed = Counter.builder("segstream.view.bytes")
                .description("bytes of live frames sent to viewers")
                .baseUnit("bytes")
                .register(registry);
        this.framesDropped = Counter.builder("segstream.view.frames.dropped")
                .description("frames a viewer skipped because it asked for the next one after a newer one came")
                .register(registry);
        this.refused = Counter.builder("segstream.view.refused")
                .description("frame requests refused (503) because " + MAX_WAITING + " were waiting")
                .register(registry);
        this.renders = Counter.builder("segstream.view.renders")
                .description("live frames rendered and encoded")
                .register(registry);
        registry.gauge("segstream.view.waiting", waiting, w -> MAX_WAITING - w.availablePermits());
        server.createContext("/", get(this::page));
        server.createContext("/api/cameras", get(this::cameras));
        server.createContext("/api/camera", get(this::camera));
        server.createContext("/api/frame", get(this::frame));
        server.start();
    }

    /** The instances of the application; until set, this one alone. */
    public void instances(Instances instances) {
        this.instances = instances;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL of this view, as advertised ({@code http://host:port}). */
    public String url() {
        return self;
    }

    /** {@code host:port} as advertised: Kafka Streams' {@code application.server} of this instance. */
    public String hostPort() {
        return self.substring("http://".length());
    }

    // ---- handlers ----

    private interface Handler {
        void handle(HttpExchange ex, Map<String, String> query) throws Exception;
    }

    private HttpHandler get(Handler h) {
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

    private void page(HttpExchange ex, Map<String, String> q) throws IOException {
        String path = ex.getRequestURI().getPath();
        switch (path) {
            case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page("index.html"));
            case "/camera.html" -> {
                String camera = q.get("camera");
                Optional<String> owner =
                        camera == null || !CameraId.valid(camera) ? Optional.empty() : elsewhere(camera);
                if (owner.isPresent()) {
                    ex.getResponseHeaders().set("Location", owner.get() + "/camera.html?camera=" + encode(camera));
                    send(ex, 307, "text/plain; charset=utf-8", ("on " + owner.get()).getBytes(StandardCharsets.UTF_8));
                } else {
                    send(ex, 200, "text/html; charset=utf-8", page("camera.html"));
                }
            }
            case "/assets/uPlot.iife.min.js" ->
                send(ex, 200, "text/javascript; charset=utf-8", PageResources.uplotJs());
            case "/assets/uPlot.min.css" -> send(ex, 200, "text/css; charset=utf-8", PageResources.uplotCss());
            case "/assets/view.css" -> send(ex, 200, "text/css; charset=utf-8", page("view.css"));
            default -> error(ex, 404, "no page " + path);
        }
    }

    private static byte[] page(String name) {
        return PageResources.bytes("io/segstream/sink/view/" + name);
    }

    private void cameras(HttpExchange ex, Map<String, String> q) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("instance", self);
        ArrayNode list = out.putArray("cameras");
        for (CameraView.State s : board.states()) {
            if (elsewhere(s.camera()).isEmpty()) {
                list.add(stateJson(s));
            }
        }
        ArrayNode unreachable = out.putArray("unreachable");
        if ("all".equals(q.get("scope"))) {
            fanOut(list, unreachable);
        }
        sendJson(ex, 200, out);
    }

    /** Adds the cameras of every other instance; those that did not answer in time are listed. */
    private void fanOut(ArrayNode list, ArrayNode unreachable) {
        List<String> others = instances.others();
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (String other : others) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(other + "/api/cameras"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .thenApply(r -> {
                        try (InputStream in = r.body()) {
                            byte[] body = in.readNBytes(MAX_PEER_BYTES + 1);
                            if (r.statusCode() != 200 || body.length > MAX_PEER_BYTES) {
                                throw new IOException("status " + r.statusCode() + ", " + body.length + " bytes");
                            }
                            return JSON.readTree(body);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
        for (int i = 0; i < others.size(); i++) {
            try {
                JsonNode answer = answers.get(i).get(3, TimeUnit.SECONDS);
                answer.path("cameras").forEach(c -> list.add(c));
            } catch (Exception e) {
                answers.get(i).cancel(true);
                unreachable.add(others.get(i));
                LOG.debug("Sink view at {} did not answer: {}", others.get(i), e.toString());
            }
        }
    }

    private ObjectNode stateJson(CameraView.State s) {
        ObjectNode c = JSON.createObjectNode();
        c.put("camera", s.camera());
        c.put("url", self);
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
        c.put("lastFrameAgeMs", Math.max(0, board.now() - s.lastFrameMs()));
        c.put("version", s.version());
        return c;
    }

    private void camera(HttpExchange ex, Map<String, String> q) throws IOException {
        Optional<CameraView> view = local(ex, q);
        if (view.isEmpty()) {
            return;
        }
        long after = after(q);
        CameraView.State s = view.get().state(board.now());
        ObjectNode out = stateJson(s);
        ArrayNode classes = out.putArray("classes");
        if (s.taxonomy() != null) {
            for (SegmentationClass k : s.taxonomy().classes()) {
                classes.addObject()
                        .put("name", k.name())
                        .put("color", String.format(Locale.ROOT, "#%06x", k.rgb() & 0xFFFFFF));
            }
        }
        ArrayNode points = out.putArray("points");
        for (CameraView.Point p : view.get().pointsAfter(after)) {
            ObjectNode o = points.addObject();
            o.put("version", p.version());
            o.put("sequence", p.sequence());
            o.put("captureMs", p.captureMs());
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
        sendJson(ex, 200, out);
    }

    private void frame(HttpExchange ex, Map<String, String> q) throws Exception {
        Optional<CameraView> view = local(ex, q);
        if (view.isEmpty()) {
            return;
        }
        long after = after(q);
        if (!waiting.tryAcquire()) {
            refused.increment();
            error(ex, 503, MAX_WAITING + " frame requests are waiting already; try again");
            return;
        }
        Rendered r;
        try {
            CameraView.Frame f = view.get().awaitNewer(after, WAIT_MS);
            r = f == null ? null : images(f.stats().camera()).newest(view.get(), f);
        } finally {
            waiting.release();
        }
        if (r == null || r.jpeg() == null) { // nothing newer, or a picture that does not decode: the viewer asks again
            if (r != null) {
                ex.getResponseHeaders()
                        .set("X-Segstream-Version", Long.toString(r.frame().version()));
            }
            ex.sendResponseHeaders(204, -1);
            return;
        }
        CameraView.Frame f = r.frame();
        long dropped = after >= 0 && f.version() > after + 1 ? f.version() - after - 1 : 0;
        ex.getResponseHeaders().set("X-Segstream-Version", Long.toString(f.version()));
        ex.getResponseHeaders()
                .set("X-Segstream-Sequence", Long.toString(f.stats().frame().sequence()));
        ex.getResponseHeaders()
                .set("X-Segstream-Capture-Ms", Long.toString(f.stats().frame().captureMicros() / 1000));
        ex.getResponseHeaders().set("X-Segstream-Status", f.stats().status().wireName());
        ex.getResponseHeaders().set("X-Segstream-Dropped", Long.toString(dropped));
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        framesDropped.increment(dropped);
        send(ex, 200, "image/jpeg", r.jpeg());
        framesServed.increment();
        bytesServed.increment(r.jpeg().length);
    }

    /** The camera's view when this instance holds it; otherwise answers 400, 404 or 409 (held elsewhere) and returns empty. */
    private Optional<CameraView> local(HttpExchange ex, Map<String, String> q) throws IOException {
        String camera = q.get("camera");
        if (camera == null || !CameraId.valid(camera)) {
            error(ex, 400, "camera must be a camera id (" + CameraId.RULE + ")");
            return Optional.empty();
        }
        Optional<String> owner = elsewhere(camera);
        if (owner.isPresent()) {
            ObjectNode out = JSON.createObjectNode();
            out.put("error", "camera " + camera + " is served by " + owner.get());
            out.put("owner", owner.get());
            sendJson(ex, 409, out);
            return Optional.empty();
        }
        Optional<CameraView> view = board.camera(camera);
        if (view.isEmpty()) {
            error(ex, 404, "no frames of camera " + camera + " came through this sink instance");
        }
        return view;
    }

    private Optional<String> elsewhere(String camera) {
        try {
            return instances.elsewhere(camera).filter(url -> !url.equals(self));
        } catch (RuntimeException e) { // Kafka Streams not running (yet, or any more)
            return Optional.empty();
        }
    }

    private CameraImages images(String camera) {
        synchronized (images) {
            if (images.size() >= LiveBoard.MAX_CAMERAS && !images.containsKey(camera)) {
                images.clear();
            }
            return images.computeIfAbsent(camera, c -> new CameraImages());
        }
    }

    /**
     * A camera's frames as shown: each rendered and encoded once whoever asks, and no more than
     * one every {@link #renderIntervalNanos}; a viewer that asks sooner waits for the next slot and
     * gets the latest frame then.
     */
    private final class CameraImages {

        private final RenderPacer pacer = new RenderPacer(renderIntervalNanos, RenderPacer.SYSTEM);
        private Rendered last;

        synchronized Rendered newest(CameraView view, CameraView.Frame f) throws InterruptedException {
            if (last != null && last.frame().version() >= f.version()) {
                return last;
            }
            if (pacer.awaitSlot()) {
                f = view.latest();
            }
            last = new Rendered(f, f.pictureFits() ? render(f) : null);
            return last;
        }
    }

    /** The frame's overlay as JPEG; null when its picture does not decode. */
    private byte[] render(CameraView.Frame f) throws InterruptedException {
        Painter painter = painters.take();
        try {
            renders.increment();
            return painter.jpeg()
                    .encodeSubsampled(painter.overlay()
                            .render(
                                    f.picture(),
                                    f.stats().camera(),
                                    f.stats().frame(),
                                    f.stats().status(),
                                    f.labels(),
                                    f.stats().classFractions(),
                                    f.rate(),
                                    f.taxonomy()));
        } catch (RuntimeException e) {
            LOG.debug(
                    "Frame {} of {} did not render: {}",
                    f.stats().frame().sequence(),
                    f.stats().camera(),
                    e.toString());
            return null;
        } finally {
            painters.add(painter);
        }
    }

    // ---- plumbing ----

    private static long after(Map<String, String> q) {
        try {
            return Long.parseLong(q.getOrDefault("after", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> query(String raw) {
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, Math.round(v * 1000) / 1000.0);
        } else {
            o.putNull(field);
        }
    }

    private static void error(HttpExchange ex, int code, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("error", message);
        sendJson(ex, code, out);
    }

    private static void sendJson(HttpExchange ex, int code, JsonNode body) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        send(ex, code, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        HttpServers.send(ex, code, type, body);
    }

    @Override
    public void close() {
        HttpServers.stop(server);
        Painter p;
        while ((p = painters.poll()) != null) {
            p.close();
        }
    }
}
