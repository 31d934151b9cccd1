package io.segstream.sink.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segstream.protocol.AggregateStats;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void shouldGivePercentilesWithinTwoPercentAndTheExactMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            h.add(ms);
        }

        AggregateStats.Percentiles p = h.percentiles();

        assertThat(p.p50()).isCloseTo(500, within(500 * 0.02));
        assertThat(p.p90()).isCloseTo(900, within(900 * 0.02));
        assertThat(p.p99()).isCloseTo(990, within(990 * 0.02));
        assertThat(p.max()).isEqualTo(1000);
    }

    @Test
    void shouldIgnoreUnknownLatenciesAndReportNoneWithoutValues() {
        LatencyHistogram h = new LatencyHistogram();
        h.add(Double.NaN);

        assertThat(h.count()).isZero();
        assertThat(h.percentiles()).isEqualTo(AggregateStats.Percentiles.NONE);
    }

    @Test
    void shouldSurviveItsStoredForm() {
        LatencyHistogram h = new LatencyHistogram();
        h.add(0.2);
        h.add(42);
        h.add(42.5);
        ByteBuffer b = ByteBuffer.allocate(h.serializedSize());
        h.writeTo(b);
        b.flip();

        LatencyHistogram back = LatencyHistogram.readFrom(b);

        assertThat(back.count()).isEqualTo(3);
        assertThat(back.percentiles()).isEqualTo(h.percentiles());
        assertThat(b.hasRemaining()).isFalse();
    }
}
