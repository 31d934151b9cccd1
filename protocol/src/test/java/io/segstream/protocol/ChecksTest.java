package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void shouldNameTheFirstMissingComponent() {
        assertThatThrownBy(() -> Checks.nonNull("camera frame model", "c", null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("frame");
        assertThatCode(() -> Checks.nonNull("camera frame", "c", 1)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseNamesThatDoNotMatchTheValues() {
        assertThatThrownBy(() -> Checks.nonNull("camera frame", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 names for 1 values");
    }

    @Test
    void shouldNameTheComponentOfARecordBuiltWithoutIt() {
        assertThatThrownBy(() -> new FrameStats("cam", null, "m", MaskStatus.OK, Map.of(), null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("frame");
    }

    @Test
    void shouldRefuseADurationLongerThanTheBoundEvenOneTooLongForMilliseconds() {
        assertThatCode(() -> Checks.atMost("wait", Duration.ofHours(24), Checks.LONGEST))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Checks.atMost("wait", Duration.ofSeconds(Long.MAX_VALUE), Checks.LONGEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("wait must be at most PT24H, got PT");
    }
}
