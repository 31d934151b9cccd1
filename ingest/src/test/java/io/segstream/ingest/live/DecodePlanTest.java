package io.segstream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.live.DecodePlan.Read;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecodePlanTest {

    private static final Optional<Duration> GOP_1_5_S = Optional.of(Duration.ofMillis(1500));

    @Test
    void shouldDecodeEveryFrameTheSegmentersHaveRoomFor() {
        assertThat(DecodePlan.next(true, Duration.ZERO, GOP_1_5_S, Optional.of(Duration.ofSeconds(3))))
                .isEqualTo(Read.DECODE);
    }

    @Test
    void shouldSkipToTheNextKeyFrameWhenTheCameraSendsLessOftenThanItsKeyFramesCome() {
        // 6 cameras sharing 2 frames/s: one frame each 3 s, key frames every 1.5 s
        assertThat(DecodePlan.next(false, Duration.ofMillis(10), GOP_1_5_S, Optional.of(Duration.ofSeconds(3))))
                .isEqualTo(Read.NEXT_KEY_FRAME);
        assertThat(DecodePlan.next(false, Duration.ofMillis(10), GOP_1_5_S, Optional.of(Duration.ofMillis(1500))))
                .isEqualTo(Read.NEXT_KEY_FRAME);
    }

    @Test
    void shouldDecodeTheReferenceChainWhenTheNextFrameToSendComesBeforeTheNextKeyFrame() {
        // 5 frames a second out of 25: every fifth frame goes out, key frames every 1.5 s
        assertThat(DecodePlan.next(false, Duration.ofMillis(10), GOP_1_5_S, Optional.of(Duration.ofMillis(200))))
                .isEqualTo(Read.DECODE_AND_DROP);
    }

    @Test
    void shouldWaitForKeyFramesOnlyWhenTheyComeOftenEnough() {
        Optional<Duration> tenSeconds = Optional.of(Duration.ofSeconds(10));
        assertThat(DecodePlan.next(false, Duration.ofSeconds(5), tenSeconds, Optional.of(Duration.ofSeconds(30))))
                .as("a long group of pictures: a view would freeze")
                .isEqualTo(Read.DECODE_AND_DROP);
        assertThat(DecodePlan.next(false, Duration.ofSeconds(5), Optional.empty(), Optional.of(Duration.ofSeconds(30))))
                .as("no key frame interval known yet")
                .isEqualTo(Read.DECODE_AND_DROP);
    }

    @Test
    void shouldFallBackToTimeBehindBeforeThePublishIntervalIsKnown() {
        assertThat(DecodePlan.next(false, Duration.ofMillis(500), GOP_1_5_S, Optional.empty()))
                .isEqualTo(Read.DECODE_AND_DROP);
        assertThat(DecodePlan.next(false, Duration.ofMillis(1500), GOP_1_5_S, Optional.empty()))
                .isEqualTo(Read.NEXT_KEY_FRAME);
    }

    @Test
    void shouldFollowAChangeOfTheCamerasShareWithinAFewFrames() {
        Optional<Duration> interval = Optional.empty();
        interval = Optional.of(DecodePlan.smoothed(interval, Duration.ofMillis(200)));
        assertThat(interval).contains(Duration.ofMillis(200));
        for (int i = 0; i < 6; i++) {
            interval = Optional.of(DecodePlan.smoothed(interval, Duration.ofSeconds(3)));
        }
        assertThat(interval.get()).isGreaterThan(Duration.ofMillis(1500));
    }
}
