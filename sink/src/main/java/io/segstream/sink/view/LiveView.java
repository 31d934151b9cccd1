package io.segstream.sink.view;

import static io.segstream.sink.view.ViewExchanges.error;
import static io.segstream.sink.view.ViewExchanges.get;
import static io.segstream.sink.view.ViewExchanges.send;
import static io.segstream.sink.view.ViewExchanges.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.segstream.protocol.CameraId;
import io.segstream.runtime.HttpServers;
import io.segstream.sink.output.PageResources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The sink's live view: a read-only web UI of the cameras this instance handles, and through the
 * other instances' views ({@link Instances}) of every camera of the application.
 *
 * <ul>
 *   <li>{@code GET /}: the cameras with their state, updating by itself;</li>
 *   <li>{@code GET /camera.html?camera=ID}: a camera's overlay, live, and its charts (answered with a
 *       redirect to the instance that holds the camera when that is another);</li>
 *   <li>{@code GET /api/cameras[?scope=all]}: the cameras as JSON, and in {@code declared} those of a
 *       fleet's cameras topic (with {@code scope=all}, every
 *       instance's);</li>
 *   <li>{@code GET /api/camera?camera=ID&after=V}: a camera's counters and the figures of its frames
 *       after version V;</li>
 *   <li>{@code GET /api/frame?camera=ID&after=V}: the camera's latest overlay frame as JPEG once it is
 *       newer than V (waits up to {@value #WAIT_MS} ms, then 204).</li>
 * </ul>
 *
 * <p>This class routes; {@link ViewExchanges} parses and answers requests, {@link ViewJson} builds
 * the JSON, {@link PeerViews} asks the other instances, {@link FramePainters} renders.
 *
 * <p>The transport is one request per shown frame: the viewer asks for the frame after the one it
 * shows and gets the latest. A viewer that is slow simply skips frames (counted as dropped); nothing
 * is queued for it and the sink never waits for it. A frame is rendered and encoded once however
 * many viewers ask, on a viewer's thread, at most {@code maxFps} per camera, and not at all when
 * nobody watches ({@link FramePainters}). Nothing in a URL becomes
 * a file path: pages are fixed class-path resources and a camera id is a key of the board.
 */
public final class LiveView implements AutoCloseable {

    /** How long a frame request waits for a newer frame before it is answered 204. */
    static final long WAIT_MS = 2000;
    /** Frame requests waiting at once; more are answered 503. */
    public static final int MAX_WAITING = 32;

    public static final double DEFAULT_MAX_FPS = 10;

    private final HttpServer server;
    private final LiveBoard board;
    private final String self;
    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private volatile DeclaredCameras declared;
    private final FramePainters painters;
    private final PeerViews peers = new PeerViews();
    private final Counter framesServed;
    private final Counter bytesServed;
    private final Counter framesDropped;
    private final Counter refused;
    private volatile Instances instances = Instances.ALONE;

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
        this.board = board;
        this.server = HttpServers.create(address, 64, MAX_WAITING + 32, "segstream-view");
        this.self = "http://" + (advertisedHost != null ? advertisedHost : address.getHostString()) + ":"
                + (advertisedPort != 0 ? advertisedPort : server.getAddress().getPort());
        this.painters = new FramePainters(
                alpha,
                2,
                (long) (1e9 / maxFps),
                Counter.builder("segstream.view.renders")
                        .description("live frames rendered and encoded")
                        .register(registry));
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

    // ---- routes ----

    private void page(HttpExchange ex, Map<String, String> q) throws IOException {
        String path = ex.getRequestURI().getPath();
        switch (path) {
            case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page("index.html"));
            case "/camera.html" -> {
                String camera = q.get("camera");
                Optional<String> owner =
                        camera == null || !CameraId.valid(camera) ? Optional.empty() : elsewhere(camera);
                if (owner.isPresent()) {
                    ex.getResponseHeaders()
                            .set("Location", owner.get() + "/camera.html?camera=" + ViewExchanges.encode(camera));
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

    /**
     * Lists the cameras of a fleet's cameras topic too ({@code declared} in {@code /api/cameras}),
     * those no ingest instance has picked up included; closed with the view.
     */
    public void declared(DeclaredCameras cameras) {
        this.declared = cameras;
    }

    private void cameras(HttpExchange ex, Map<String, String> q) throws IOException {
        ObjectNode out = ViewJson.object();
        out.put("instance", self);
        ArrayNode fleet = out.putArray("declared");
        if (declared != null) {
            for (DeclaredCameras.Declared d : declared.cameras()) {
                fleet.addObject()
                        .put("camera", d.camera())
                        .put("source", d.source())
                        .put("mode", d.mode());
            }
        }
        ArrayNode list = out.putArray("cameras");
        for (CameraView.State s : board.states()) {
            if (elsewhere(s.camera()).isEmpty()) {
                list.add(ViewJson.state(s, self, board.now()));
            }
        }
        ArrayNode unreachable = out.putArray("unreachable");
        if ("all".equals(q.get("scope"))) {
            peers.cameras(instances.others(), list, unreachable);
        }
        sendJson(ex, 200, out);
    }

    private void camera(HttpExchange ex, Map<String, String> q) throws IOException {
        Optional<CameraView> view = local(ex, q);
        if (view.isPresent()) {
            long now = board.now();
            sendJson(ex, 200, ViewJson.camera(view.get(), view.get().state(now), ViewExchanges.after(q), self, now));
        }
    }

    private void frame(HttpExchange ex, Map<String, String> q) throws Exception {
        Optional<CameraView> view = local(ex, q);
        if (view.isEmpty()) {
            return;
        }
        long after = ViewExchanges.after(q);
        if (!waiting.tryAcquire()) {
            refused.increment();
            error(ex, 503, MAX_WAITING + " frame requests are waiting already; try again");
            return;
        }
        FramePainters.Rendered r;
        try {
            CameraView.Frame f = view.get().awaitNewer(after, WAIT_MS);
            r = f == null ? null : painters.newest(view.get(), f);
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
            ObjectNode out = ViewJson.object();
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

    @Override
    public void close() {
        HttpServers.stop(server);
        painters.close();
        if (declared != null) {
            declared.close();
        }
    }
}
