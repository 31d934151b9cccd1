package io.segstream.sink.stats;

import io.segstream.protocol.AggregateStats;
import io.segstream.protocol.FrameStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running statistics of a set of frames (a window, a session), kept in a state store as bytes:
 * counts by mask status, the sum of the class fractions of the ok frames by class name (in the order
 * the classes first came, so a model's own order), latency histograms.
 */
public final class StatsAggregate {

    /** The most classes one aggregate tracks: a mask byte's worth, times a few models over a camera's life. */
    static final int MAX_CLASSES = 1024;

    private long ok;
    private long skipped;
    private long failed;
    private long missing;
    private long lost;
    private final Map<String, Double> classSums = new LinkedHashMap<>();
    private LatencyHistogram endToEnd = new LatencyHistogram();
    private LatencyHistogram inference = new LatencyHistogram();

    public void add(FrameStats s) {
        switch (s.status()) {
            case OK -> {
                ok++;
                s.classFractions().forEach((name, f) -> {
                    if (classSums.containsKey(name) || classSums.size() < MAX_CLASSES) {
                        classSums.merge(name, f, Double::sum);
                    }
                });
                inference.add(s.latencies().inferenceMs());
            }
            case SKIPPED_STALE -> skipped++;
            case FAILED -> failed++;
            case MISSING -> missing++;
        }
        endToEnd.add(s.latencies().endToEndMs());
    }

    /** Sequences whose frame records never arrived. */
    public void addLost(long count) {
        lost += count;
    }

    public AggregateStats stats() {
        Map<String, Double> means = new LinkedHashMap<>();
        if (ok > 0) {
            classSums.forEach((name, sum) -> means.put(name, sum / ok));
        }
        return new AggregateStats(
                ok + skipped + failed + missing,
                ok,
                skipped,
                failed,
                missing,
                lost,
                means,
                endToEnd.percentiles(),
                inference.percentiles());
    }

    public byte[] toBytes() {
        int names = 0;
        for (String name : classSums.keySet()) {
            names += Integer.BYTES + name.getBytes(StandardCharsets.UTF_8).length + Double.BYTES;
        }
        ByteBuffer b = ByteBuffer.allocate(
                5 * Long.BYTES + Integer.BYTES + names + endToEnd.serializedSize() + inference.serializedSize());
        b.putLong(ok)
                .putLong(skipped)
                .putLong(failed)
                .putLong(missing)
                .putLong(lost)
                .putInt(classSums.size());
        classSums.forEach((name, sum) -> {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            b.putInt(utf8.length).put(utf8).putDouble(sum);
        });
        endToEnd.writeTo(b);
        inference.writeTo(b);
        return b.array();
    }

    public static StatsAggregate fromBytes(byte[] bytes) {
        StatsAggregate a = new StatsAggregate();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        a.ok = b.getLong();
        a.skipped = b.getLong();
        a.failed = b.getLong();
        a.missing = b.getLong();
        a.lost = b.getLong();
        int n = b.getInt();
        if (n < 0 || n > MAX_CLASSES) {
            throw new IllegalStateException("stored statistics claim " + n + " classes");
        }
        for (int i = 0; i < n; i++) {
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new IllegalStateException("stored statistics hold a class name of " + length + " bytes");
            }
            byte[] utf8 = new byte[length];
            b.get(utf8);
            a.classSums.put(new String(utf8, StandardCharsets.UTF_8), b.getDouble());
        }
        a.endToEnd = LatencyHistogram.readFrom(b);
        a.inference = LatencyHistogram.readFrom(b);
        return a;
    }
}
