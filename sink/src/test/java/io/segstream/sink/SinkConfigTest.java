package io.segstream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.Topics;
import io.segstream.sink.config.SinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

    private final SinkConfig defaults =
            SinkConfig.defaults("k:9092", Topics.DEFAULT, "app", Path.of("state"), Optional.empty());

    @Test
    void shouldChangeOnlyWhatEachWitherNames() {
        SinkConfig c = defaults.withMaskTimeout(Duration.ofSeconds(5))
                .withWindows(List.of(Duration.ofSeconds(10)))
                .withKafka(Map.of("acks", "all"));

        assertThat(c.maskTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.windows()).containsExactly(Duration.ofSeconds(10));
        assertThat(c.kafka()).containsEntry("acks", "all");
        assertThat(c.overlayAlpha()).isEqualTo(SinkConfig.DEFAULT_OVERLAY_ALPHA);
        assertThat(c.liveSegment()).isEqualTo(SinkConfig.DEFAULT_LIVE_SEGMENT);
        assertThat(c.applicationId()).isEqualTo("app");
    }

    @Test
    void shouldCheckWhatAWitherChanges() {
        assertThatThrownBy(() -> defaults.withWindows(List.of(Duration.ofSeconds(7))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must divide a day");
    }
}
