package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SegmenterConfigTest {

    @Test
    void shouldChangeOnlyWhatEachWitherNames() {
        SegmenterConfig d = SegmenterConfig.defaults("k:9092", Topics.DEFAULT);
        SegmenterConfig c = d.withGroup("g")
                .withBatch(8, Duration.ofMillis(20))
                .withMaxAge(Duration.ofSeconds(3))
                .withCameras(Pattern.compile("front.*"))
                .withKafka(Map.of("acks", "all"));

        assertThat(c.groupId()).isEqualTo("g");
        assertThat(c.batchSize()).isEqualTo(8);
        assertThat(c.maxWait()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.maxAge()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.cameras()).map(Pattern::pattern).contains("front.*");
        assertThat(c.kafka()).containsEntry("acks", "all");
        assertThat(c.pollTimeout()).isEqualTo(d.pollTimeout());
        assertThat(c.bootstrapServers()).isEqualTo(d.bootstrapServers());
    }

    @Test
    void shouldCheckWhatAWitherChanges() {
        SegmenterConfig d = SegmenterConfig.defaults("k:9092", Topics.DEFAULT);

        assertThatThrownBy(() -> d.withBatch(0, Duration.ofMillis(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size must be >= 1");
    }
}
