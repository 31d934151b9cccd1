package io.segstream.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The key-frame interval from presentation times a stream wrote, which may be anything. */
class KeyFrameIntervalTest {

    @Test
    void shouldMeasureTheTimeBetweenTwoKeyFrames() {
        assertThat(VideoReader.between(1_000_000, 2_520_000)).contains(Duration.ofMillis(1520));
    }

    @Test
    void shouldGiveNothingBeforeTheSecondKeyFrameOrForTimesThatGoBack() {
        assertThat(VideoReader.between(Long.MIN_VALUE, 40_000)).isEmpty();
        assertThat(VideoReader.between(2_000_000, 1_000_000)).isEmpty();
        assertThat(VideoReader.between(5, 5)).isEmpty();
    }

    @Test
    void shouldNeitherOverflowNorTurnNegativeOnHostileTimes() {
        assertThat(VideoReader.between(Long.MIN_VALUE + 1, Long.MAX_VALUE))
                .as("difference overflows")
                .isEmpty();
        assertThat(VideoReader.between(0, Long.MAX_VALUE))
                .hasValueSatisfying(d -> assertThat(d).isPositive().isGreaterThan(Duration.ofDays(36_500)));
    }
}
