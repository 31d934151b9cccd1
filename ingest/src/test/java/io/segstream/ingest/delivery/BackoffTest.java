package io.segstream.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleWithJitterUpToTheMaximumAndStartOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

        for (long ceiling : new long[] {100, 200, 400, 800, 1000, 1000, 1000}) {
            assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(backoff.failures()).isEqualTo(7);
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void shouldNotAlwaysWaitTheSameTime() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10));
        long first = backoff.next().toMillis();
        boolean differs = false;
        for (int i = 0; i < 20 && !differs; i++) {
            differs = backoff.next().toMillis() != first;
        }
        assertThat(differs).as("jitter").isTrue();
    }
}
