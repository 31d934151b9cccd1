package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
