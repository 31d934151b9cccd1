package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.testkit.LogCapture;
import org.junit.jupiter.api.Test;

class FailureLogTest {

    @Test
    void shouldLogACauseOnceAndCountEveryFrameOfIt() {
        FailureLog log = new FailureLog();
        try (LogCapture lines = new LogCapture()) {
            for (int i = 0; i < 100; i++) {
                log.failed("the model failed: out of memory", 4, new IllegalStateException("boom"));
            }
            log.failed("frame bytes that do not decode", 1, null);

            assertThat(lines.errors())
                    .containsExactly(
                            "4 frame(s) not segmented: the model failed: out of memory",
                            "1 frame(s) not segmented: frame bytes that do not decode");
            log.summarise();
            assertThat(lines.errors()).contains("400 frame(s) in all not segmented: the model failed: out of memory");
        }
        assertThat(log.counts())
                .containsExactly(
                        java.util.Map.entry("the model failed: out of memory", 400L),
                        java.util.Map.entry("frame bytes that do not decode", 1L));
    }
}
