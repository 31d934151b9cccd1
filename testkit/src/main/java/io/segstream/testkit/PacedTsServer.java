package io.segstream.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that streams an MPEG-TS file in a loop at its own pace, like a
 * camera. {@link #stallOpenConnections()} makes every open connection go silent while staying open
 * (the stalled camera), while new connections are served normally.
 */
public final class PacedTsServer implements AutoCloseable {

    private static final int CHUNK = 188 * 7;

    private final byte[] ts;
    private final long bytesPerSecond;
    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    /** Serves {@code ts}, which lasts {@code seconds}, at real-time pace. */
    public PacedTsServer(Path ts, double seconds) throws IOException {
        this.ts = Files.readAllBytes(ts);
        this.bytesPerSecond = Math.max(CHUNK, (long) (this.ts.length / seconds));
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "paced-ts-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/camera.ts";
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Every connection open now stops sending and stays open; later connections are served. */
    public void stallOpenConnections() {
        connections.forEach(c -> c.stalled.countDown());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Connection c = new Connection(s);
                connections.add(c);
                Thread t = new Thread(c::serve, "paced-ts-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Connection {
        private final Socket socket;
        private final CountDownLatch stalled = new CountDownLatch(1);

        Connection(Socket socket) {
            this.socket = socket;
        }

        void serve() {
            try (socket;
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream()) {
                readRequestHead(in);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                long sent = 0;
                while (stalled.getCount() > 0) {
                    int off = (int) (sent % ts.length);
                    int n = Math.min(CHUNK, ts.length - off);
                    out.write(ts, off, n);
                    out.flush();
                    sent += n;
                    long due = start + sent * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                // stalled: keep the connection open and silent until the client or the server goes
                while (!server.isClosed() && in.read() >= 0) {
                    // discard
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        private void readRequestHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            int b;
            while (matched < 4 && (b = in.read()) >= 0) {
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection c : connections) {
            c.socket.close();
        }
    }
}
