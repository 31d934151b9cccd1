package io.segstream.ingest;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.WireHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the frames of one camera out of what a test saw on the frames topic. */
public final class LiveFrames {

    private LiveFrames() {}

    public static List<FrameMeta> frames(List<ConsumerRecord<String, byte[]>> records, String camera) {
        return records.stream()
                .filter(r -> r.key().equals(camera) && !WireHeaders.isEndOfStream(r.headers()))
                .map(r -> WireHeaders.readFrame(r.headers()))
                .toList();
    }

    /** The frames of each session of the camera, sessions in order of appearance. */
    public static Map<UUID, List<FrameMeta>> bySession(List<ConsumerRecord<String, byte[]>> records, String camera) {
        Map<UUID, List<FrameMeta>> out = new LinkedHashMap<>();
        for (FrameMeta f : frames(records, camera)) {
            out.computeIfAbsent(f.session(), s -> new java.util.ArrayList<>()).add(f);
        }
        return out;
    }

    public static Predicate<List<ConsumerRecord<String, byte[]>>> atLeast(String camera, int n) {
        return records -> frames(records, camera).size() >= n;
    }

    public static Predicate<List<ConsumerRecord<String, byte[]>>> sessionsWithFrames(
            String camera, int sessions, int frames) {
        return records -> bySession(records, camera).values().stream()
                        .filter(l -> l.size() >= frames)
                        .count()
                >= sessions;
    }
}
