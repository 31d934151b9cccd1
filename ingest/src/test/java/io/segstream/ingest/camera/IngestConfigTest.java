package io.segstream.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    @Test
    void shouldChangeOnlyWhatEachWitherNames() {
        IngestConfig d = IngestConfig.defaults("k:9092", Topics.DEFAULT);
        IngestConfig c = d.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(4))
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withMaxInFlight(7, List.of("g"))
                .withKafka(Map.of("acks", "all"))
                .withLiveAhead(5)
                .withRecordedAttempts(2)
                .withPartitions(Map.of("cam", 1));

        assertThat(c.ioTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.stallTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.backoffMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.maxInFlight()).isEqualTo(7);
        assertThat(c.segmenterGroups()).containsExactly("g");
        assertThat(c.kafka()).containsEntry("acks", "all");
        assertThat(c.liveAhead()).isEqualTo(5);
        assertThat(c.recordedAttempts()).isEqualTo(2);
        assertThat(c.partitions()).containsEntry("cam", 1);
        assertThat(c.bootstrapServers()).isEqualTo(d.bootstrapServers());
        assertThat(c.topics()).isEqualTo(d.topics());
    }

    @Test
    void shouldCheckWhatAWitherChanges() {
        IngestConfig d = IngestConfig.defaults("k:9092", Topics.DEFAULT);

        assertThatThrownBy(() -> d.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
