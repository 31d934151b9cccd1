package io.segstream.sink.stats;

import io.segstream.protocol.AggregateStats;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies in milliseconds in logarithmic buckets 2 % wide, so percentiles of a long recording
 * take a few hundred counters; the maximum is kept exactly. Values below 1 ms share one bucket.
 */
final class LatencyHistogram {

    private static final double LOG_STEP = Math.log(1.02);

    private final TreeMap<Integer, Long> counts = new TreeMap<>();
    private long total;
    private double max = Double.NaN;

    void add(double ms) {
        if (!Double.isFinite(ms)) {
            return;
        }
        double v = Math.max(0, ms);
        counts.merge(bucket(v), 1L, Long::sum);
        total++;
        max = Double.isNaN(max) ? v : Math.max(max, v);
    }

    long count() {
        return total;
    }

    /** The p50, p90, p99 (each the middle of its bucket, at most the maximum) and the maximum. */
    AggregateStats.Percentiles percentiles() {
        if (total == 0) {
            return AggregateStats.Percentiles.NONE;
        }
        return new AggregateStats.Percentiles(quantile(0.50), quantile(0.90), quantile(0.99), max);
    }

    private double quantile(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (seen >= Math.max(1, rank)) {
                return Math.min(max, middle(e.getKey()));
            }
        }
        return max;
    }

    private static int bucket(double v) {
        return v < 1 ? 0 : 1 + (int) Math.floor(Math.log(v) / LOG_STEP);
    }

    private static double middle(int bucket) {
        return bucket == 0 ? 0.5 : Math.exp((bucket - 0.5) * LOG_STEP);
    }

    int serializedSize() {
        return Long.BYTES + Double.BYTES + Integer.BYTES + counts.size() * (Integer.BYTES + Long.BYTES);
    }

    void writeTo(ByteBuffer b) {
        b.putLong(total).putDouble(max).putInt(counts.size());
        counts.forEach((k, v) -> b.putInt(k).putLong(v));
    }

    static LatencyHistogram readFrom(ByteBuffer b) {
        LatencyHistogram h = new LatencyHistogram();
        h.total = b.getLong();
        h.max = b.getDouble();
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            h.counts.put(b.getInt(), b.getLong());
        }
        return h;
    }
}
