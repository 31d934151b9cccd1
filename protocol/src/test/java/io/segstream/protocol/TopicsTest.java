package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldGiveFramesAndMasksTheSamePartitionCountAndRoomForA4kPicture() {
        List<TopicSpec> specs = Topics.withPrefix("fleet1.").specs(6, (short) 1, Duration.ofHours(2));

        assertThat(specs)
                .extracting(TopicSpec::name)
                .containsExactly(
                        "fleet1.frames", "fleet1.masks", "fleet1.frame-stats", "fleet1.camera-stats", "fleet1.models");
        assertThat(specs.subList(0, 4)).allSatisfy(s -> {
            assertThat(s.partitions()).isEqualTo(6);
            assertThat(s.configs()).containsEntry("max.message.bytes", "16777216");
        });
        assertThat(specs.get(0).configs()).containsEntry("retention.ms", "7200000");
        assertThat(specs.get(4).configs())
                .as("one description per model id")
                .containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldKeepOneCompactedSmallRecordPerCamera() {
        TopicSpec cameras = Topics.withPrefix("fleet1.").camerasSpec((short) 3);

        assertThat(cameras.name()).isEqualTo("fleet1.cameras");
        assertThat(cameras.partitions()).isEqualTo(Topics.CAMERA_PARTITIONS);
        assertThat(cameras.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", "65536")
                .containsEntry(TopicSpec.MIN_IN_SYNC, "2");
    }

    @Test
    void shouldRejectANonPositivePartitionCount() {
        assertThatThrownBy(() -> new TopicSpec("frames", 0, (short) 1, Map.of(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frames: partitions must be >= 1");
    }

    @Test
    void shouldAskTwoCopiesInSyncOfEveryTopicWithThreeReplicasOrMore() {
        assertThat(Topics.DEFAULT.specs(2, (short) 3, Duration.ofHours(1)))
                .allSatisfy(t -> assertThat(t.configs()).containsEntry(TopicSpec.MIN_IN_SYNC, "2"));
        assertThat(Topics.DEFAULT.specs(2, (short) 1, Duration.ofHours(1)))
                .allSatisfy(t -> assertThat(t.configs()).doesNotContainKey(TopicSpec.MIN_IN_SYNC));
    }
}
