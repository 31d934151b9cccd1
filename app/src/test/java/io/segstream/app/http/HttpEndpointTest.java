package io.segstream.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.junit.jupiter.api.Test;

class HttpEndpointTest {

    @Test
    void shouldAnswerHealthWhileClientsHoldHalfSentRequestsAndTakeHead() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpEndpoint endpoint = new HttpEndpoint(
                new InetSocketAddress("127.0.0.1", 0),
                registry,
                () -> new HttpEndpoint.Health(true, "{\"status\":\"UP\"}"))) {
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
}
