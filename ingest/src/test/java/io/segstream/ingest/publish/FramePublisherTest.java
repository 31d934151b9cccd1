package io.segstream.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramePublisherTest {

    @Test
    void shouldApplyTheUsersProducerPropertiesAndIgnoreOthers() {
        try (FramePublisher publisher = new FramePublisher(
                "127.0.0.1:1",
                Topics.DEFAULT,
                Map.of("client.id", "front-ingest", "group.id", "not-a-producer-setting"),
                Map.of())) {
            assertThat(publisher.producer().metrics().keySet())
                    .anySatisfy(name -> assertThat(name.tags()).containsEntry("client-id", "front-ingest"));
        }
        assertThat(FramePublisher.properties(
                        "127.0.0.1:1", Map.of("client.id", "front-ingest", "group.id", "not-a-producer-setting")))
                .as("what the producer is given")
                .containsEntry("client.id", "front-ingest")
                .containsEntry("acks", "all")
                .as("one request in flight: a partition not yet open must not take a later batch before the first")
                .containsEntry("max.in.flight.requests.per.connection", 1)
                .doesNotContainKey("group.id");
    }
}
