package io.segstream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The render slots on a test's clock: no wall clock, so the counts are exact. */
class RenderPacerTest {

    private static final long MS = 1_000_000;

    /** A clock that moves only when told to, or when the pacer sleeps. */
    private static final class TestClock implements RenderPacer.Clock {
        long now = 1_000 * MS;
        long slept;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            slept += nanos;
            now += nanos;
        }
    }

    @Test
    void shouldGiveOneSlotPerIntervalHoweverOftenItIsAsked() throws Exception {
        TestClock clock = new TestClock();
        RenderPacer pacer = new RenderPacer(200 * MS, clock); // 5 renders a second
        long start = clock.now;
        List<Long> slots = new ArrayList<>();
        // three viewers asking back to back for two seconds, each request 1 ms of work
        while (clock.now - start <= 2_000 * MS) {
            for (int viewer = 0; viewer < 3; viewer++) {
                pacer.awaitSlot();
                slots.add(clock.now - start);
                clock.now += MS;
            }
        }

        List<Long> distinct = slots.stream().distinct().toList();
        assertThat(distinct.get(0)).as("the first render at once").isZero();
        for (int i = 1; i < distinct.size(); i++) {
            assertThat(distinct.get(i) - distinct.get(i - 1))
                    .as("slot %d after slot %d", i, i - 1)
                    .isGreaterThanOrEqualTo(200 * MS);
        }
        assertThat(slots.stream().filter(t -> t <= 2_000 * MS).count())
                .as("slots in the first two seconds: at 0, 200, ..., 2000 ms")
                .isEqualTo(11);
    }

    @Test
    void shouldNotMakeAViewerWaitAfterAQuietSpell() throws Exception {
        TestClock clock = new TestClock();
        RenderPacer pacer = new RenderPacer(200 * MS, clock);

        assertThat(pacer.awaitSlot()).as("the first").isFalse();
        clock.now += 50 * MS;
        assertThat(pacer.awaitSlot()).as("50 ms later").isTrue();
        assertThat(clock.slept).isEqualTo(150 * MS);
        clock.now += 5_000 * MS;
        assertThat(pacer.awaitSlot()).as("after 5 s without a render").isFalse();
        assertThat(clock.slept).isEqualTo(150 * MS);
    }
}
