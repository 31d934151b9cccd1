package io.segstream.sink.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The other sink instances' views, asked for their cameras at once, each answer bounded in time and size. */
final class PeerViews {

    private static final Logger LOG = LoggerFactory.getLogger(PeerViews.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest answer read from another instance. */
    static final int MAX_PEER_BYTES = 4 << 20;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Adds the cameras of each of {@code others}; those that did not answer in time are listed in {@code unreachable}. */
    void cameras(List<String> others, ArrayNode list, ArrayNode unreachable) {
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
}
