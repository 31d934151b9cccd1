package io.segstream.sink.stats;

import io.segstream.protocol.AggregateStats;
import io.segstream.protocol.FrameStats;
import io.segstream.protocol.Taxonomy;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running statistics of a set of frames (a window, a session), kept in a state store as bytes:
 * counts by mask status, the sum of the class fractions of the ok frames, latency histograms.
 */
public final class StatsAggregate {

    private final Taxonomy taxonomy;
    private long ok;
    private long skipped;
    private long failed;
    private long missing;
    private long lost;
    private final double[] classSums;
    private LatencyHistogram endToEnd = new LatencyHistogram();
    private LatencyHistogram inference = new LatencyHistogram();

    public StatsAggregate(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
        this.classSums = new double[taxonomy.size()];
    }

    public void add(FrameStats s) {
        switch (s.status()) {
            case OK -> {
                ok++;
                for (int id = 0; id < taxonomy.size(); id++) {
                    classSums[id] += s.classFractions().getOrDefault(taxonomy.get(id).name(), 0.0);
                }
                inference.add(s.latencies().inferenceMs());
            }
            case SKIPPED_STALE -> skipped++;
            case FAILED -> failed++;
            case MISSING -> missing++;
        }
        endToEnd.add(s.latencies().endToEndMs());
    }

    /** A sequence whose frame record never arrived. */
    public void addLost() {
        lost++;
    }

    public AggregateStats stats() {
        Map<String, Double> means = new LinkedHashMap<>();
        if (ok > 0) {
            for (int id = 0; id < taxonomy.size(); id++) {
                means.put(taxonomy.get(id).name(), classSums[id] / ok);
            }
        }
        return new AggregateStats(ok + skipped + failed + missing, ok, skipped, failed, missing, lost, means,
                endToEnd.percentiles(), inference.percentiles());
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(5 * Long.BYTES + Integer.BYTES + classSums.length * Double.BYTES
                + endToEnd.serializedSize() + inference.serializedSize());
        b.putLong(ok).putLong(skipped).putLong(failed).putLong(missing).putLong(lost).putInt(classSums.length);
        for (double v : classSums) {
            b.putDouble(v);
        }
        endToEnd.writeTo(b);
        inference.writeTo(b);
        return b.array();
    }

    public static StatsAggregate fromBytes(Taxonomy taxonomy, byte[] bytes) {
        StatsAggregate a = new StatsAggregate(taxonomy);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        a.ok = b.getLong();
        a.skipped = b.getLong();
        a.failed = b.getLong();
        a.missing = b.getLong();
        a.lost = b.getLong();
        int n = b.getInt();
        if (n != a.classSums.length) {
            throw new IllegalStateException("stored statistics have " + n + " classes, the taxonomy " + a.classSums.length);
        }
        for (int i = 0; i < n; i++) {
            a.classSums[i] = b.getDouble();
        }
        a.endToEnd = LatencyHistogram.readFrom(b);
        a.inference = LatencyHistogram.readFrom(b);
        return a;
    }
}
