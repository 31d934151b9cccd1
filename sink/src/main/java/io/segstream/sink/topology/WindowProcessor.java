package io.segstream.sink.topology;

import io.segstream.protocol.FrameStats;
import io.segstream.protocol.StatsJson;
import io.segstream.sink.stats.CaptureTime;
import io.segstream.sink.stats.StatsAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The camera-stats windows: tumbling windows per camera on the frames' capture time (the sink's
 * clock for a capture time that is not plausible, see {@link CaptureTime}), one set per configured
 * length, kept in a state store; at most {@link #MAX_OPEN} per camera and length are open (beyond,
 * the earliest is published), so frames whose capture times jump about cannot pile windows up. A window is published once it is closed: when a frame
 * of the camera captured at or after its end comes through (a camera's frames come in sequence
 * order), when the camera's session ends, or when the camera has sent nothing for
 * {@link #idleMs} of wall-clock time. A frame captured in a window already published (a new session
 * starting inside it) opens it again, and it is published again with those frames: consumers add
 * the records of a (camera, window start, size) up.
 */
final class WindowProcessor implements Processor<String, StatsEvent, String, String> {

    static final String STORE = "camera-windows";
    /** The most windows open per camera and window length. */
    static final int MAX_OPEN = 16;

    private static final StringSerializer KEYS = new StringSerializer();

    private final List<Long> sizesMs;
    private final long idleMs;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, StatsAggregate> windows;

    WindowProcessor(List<Duration> sizes) {
        this.sizesMs = sizes.stream().map(Duration::toMillis).toList();
        this.idleMs = Math.max(
                30_000, sizesMs.stream().mapToLong(Long::longValue).max().orElse(0));
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.windows = context.getStateStore(STORE);
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, StatsAggregate> it = windows.all()) {
            it.forEachRemaining(kv -> lastSeen.putIfAbsent(kv.key.substring(0, kv.key.indexOf('/')), now));
        }
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::closeIdle);
    }

    @Override
    public void process(Record<String, StatsEvent> record) {
        String camera = record.key();
        if (record.value() instanceof StatsEvent.FrameDone f) {
            FrameStats s = f.stats();
            long now = context.currentSystemTimeMs();
            long t = CaptureTime.windowMs(s.frame().captureMicros(), now);
            lastSeen.put(camera, now);
            closeBefore(camera, t);
            for (long size : sizesMs) {
                String key = key(camera, size, Math.floorDiv(t, size) * size);
                StatsAggregate a = windows.get(key);
                if (a == null) {
                    a = new StatsAggregate();
                }
                a.add(s);
                windows.put(key, a);
            }
            closeBeyondOpenLimit(camera);
        } else if (record.value() instanceof StatsEvent.SessionDone) {
            closeBefore(camera, Long.MAX_VALUE);
        }
    }

    private void closeIdle(long now) {
        for (String camera : List.copyOf(lastSeen.keySet())) {
            if (now - lastSeen.get(camera) >= idleMs) {
                closeBefore(camera, Long.MAX_VALUE);
                lastSeen.remove(camera);
            }
        }
    }

    /** Publishes and forgets the camera's windows that end at or before {@code t} (ms). */
    private void closeBefore(String camera, long t) {
        List<KeyValue<String, StatsAggregate>> closing = new ArrayList<>();
        try (KeyValueIterator<String, StatsAggregate> it = windows.prefixScan(camera + '/', KEYS)) {
            it.forEachRemaining(kv -> {
                if (end(kv.key) <= t) {
                    closing.add(kv);
                }
            });
        }
        publish(camera, closing);
    }

    /** Publishes the camera's earliest windows of each length beyond {@link #MAX_OPEN} open. */
    private void closeBeyondOpenLimit(String camera) {
        Map<String, List<KeyValue<String, StatsAggregate>>> bySize = new HashMap<>();
        try (KeyValueIterator<String, StatsAggregate> it = windows.prefixScan(camera + '/', KEYS)) {
            // keys sort by length, then start: each list is in start order
            it.forEachRemaining(kv -> bySize.computeIfAbsent(kv.key.split("/")[1], k -> new ArrayList<>())
                    .add(kv));
        }
        List<KeyValue<String, StatsAggregate>> closing = new ArrayList<>();
        for (List<KeyValue<String, StatsAggregate>> open : bySize.values()) {
            if (open.size() > MAX_OPEN) {
                closing.addAll(open.subList(0, open.size() - MAX_OPEN));
            }
        }
        publish(camera, closing);
    }

    private void publish(String camera, List<KeyValue<String, StatsAggregate>> closing) {
        for (KeyValue<String, StatsAggregate> kv : closing) {
            String[] parts = kv.key.split("/");
            long size = Long.parseLong(parts[1]);
            long start = Long.parseLong(parts[2]);
            String json = StatsJson.window(camera, start, size, kv.value.stats());
            // The record's timestamp is the sink's clock: the window's times are in the JSON, and a
            // timestamp taken from a capture time could be one the broker refuses.
            context.forward(new Record<>(camera, json, context.currentSystemTimeMs()));
            windows.delete(kv.key);
        }
    }

    /** The end (ms) of the window a key names. */
    private static long end(String key) {
        String[] parts = key.split("/");
        return Long.parseLong(parts[2]) + Long.parseLong(parts[1]);
    }

    private static String key(String camera, long sizeMs, long startMs) {
        return String.format("%s/%013d/%015d", camera, sizeMs, startMs);
    }
}
