package io.segstream.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {

    /** Clients that send half a request header, and again as soon as they are cut off. */
    private static final int SLOW_CLIENTS = 20;

    @Test
    void shouldAnswerHealthWithinASecondWhileTwentyClientsKeepSendingHalfAHeader() throws Exception {
        try (HttpEndpoint endpoint = healthyEndpoint()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong cutOff = new AtomicLong();
            List<Thread> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
                            s.getOutputStream()
                                    .write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                            .getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                            s.setSoTimeout(10_000);
                            if (s.getInputStream().read() < 0) { // the server cut it off
                                cutOff.incrementAndGet();
                            }
                        } catch (IOException e) {
                            cutOff.incrementAndGet(); // reset by the server: cut off too
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                slow.add(t);
            }
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            URI health = URI.create("http://127.0.0.1:" + endpoint.port() + "/health");
            List<Duration> answers = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(health)
                                .timeout(Duration.ofSeconds(1)) // Kubernetes' default probe timeout
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                answers.add(Duration.ofNanos(System.nanoTime() - t0));
                assertThat(r.statusCode()).isEqualTo(200);
                Thread.sleep(100); // a probe every 100 ms
            }
            stop.set(true);
            Duration slowest = answers.stream().max(Duration::compareTo).orElseThrow();
            System.out.printf(
                    "health: %d answers, slowest %d ms, %d slow clients cut off%n",
                    answers.size(), slowest.toMillis(), cutOff.get());

            assertThat(cutOff.get())
                    .as("the slow clients were cut off and came back")
                    .isGreaterThanOrEqualTo(SLOW_CLIENTS);
            assertThat(slowest)
                    .as("every probe answered well within its 1 s timeout")
                    .isLessThan(Duration.ofMillis(800));
        }
    }

    @Test
    void shouldAnswerHealthWhileClientsHoldHalfSentRequestsAndTakeHead() throws Exception {
        try (HttpEndpoint endpoint = healthyEndpoint()) {
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < HttpEndpoint.THREADS + 2; i++) {
                Socket s = new Socket("127.0.0.1", endpoint.port());
                OutputStream out = s.getOutputStream();
                out.write("GET /hea".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(s);
            }
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            URI health = URI.create("http://127.0.0.1:" + endpoint.port() + "/health");
            long t0 = System.nanoTime();

            HttpResponse<String> get = http.send(
                    HttpRequest.newBuilder(health)
                            .timeout(Duration.ofSeconds(15))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration waited = Duration.ofNanos(System.nanoTime() - t0);
            HttpResponse<String> head = http.send(
                    HttpRequest.newBuilder(health)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(health)
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(waited)
                    .as("answered within the cut-off of the stalled clients and a little")
                    .isLessThan(Duration.ofSeconds(HttpEndpoint.REQUEST_SECONDS + 3));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(post.statusCode()).isEqualTo(405);
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    private static HttpEndpoint healthyEndpoint() throws IOException {
        return new HttpEndpoint(
                new InetSocketAddress("127.0.0.1", 0),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new HttpEndpoint.Health(true, "{\"status\":\"UP\"}"));
    }
}
