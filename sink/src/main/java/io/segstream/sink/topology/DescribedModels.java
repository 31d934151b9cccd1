package io.segstream.sink.topology;

import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The model descriptions a sink task has seen on its masks partitions, kept in a changelogged store
 * (so a restarted or moved task still knows them) with the parsed form cached.
 *
 * <p>A description is kept under its model id and its {@link ModelDescriptionJson#digest digest},
 * and a mask finds the exact description it names in {@code ss.model-digest}: a description that
 * anyone else publishes under the same id has another digest and changes no mask made with the
 * real one. A mask without a digest (an older producer) gets the description of its id only while
 * exactly one is kept; when several differ it counts as failed, never as another's classes.
 *
 * <p>Bounded: at most {@link #MAX_MODELS} descriptions and {@link #MAX_BYTES} of JSON; beyond,
 * the least recently used goes (its masks, should more come, count as failed until it is
 * described again, which every segmenter does when it starts on a partition).
 */
final class DescribedModels {

    static final String STORE = "model-descriptions";
    /** The most descriptions a task keeps. */
    static final int MAX_MODELS = 64;
    /** The most JSON (in characters) a task keeps: 64 of the largest (64 KiB) descriptions. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    /** What a new description was to this task. */
    enum Kept {
        /** The first description of its model id. */
        NEW,
        /** Known already, the same content. */
        KNOWN,
        /** Another content under a known model id: kept beside the others. */
        CHANGED
    }

    private final KeyValueStore<String, String> store;
    /** Store key → JSON length, least recently used first. */
    private final LinkedHashMap<String, Integer> used = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<String, ModelDescription> parsed = new HashMap<>();
    private long bytes;

    DescribedModels(KeyValueStore<String, String> store) {
        this.store = store;
        try (KeyValueIterator<String, String> it = store.all()) {
            it.forEachRemaining(kv -> {
                used.put(kv.key, kv.value.length());
                bytes += kv.value.length();
            });
        }
        evict();
    }

    Kept put(ModelDescription d) {
        String json = ModelDescriptionJson.write(d);
        String key = key(d.model(), ModelDescriptionJson.digest(d));
        if (used.containsKey(key)) {
            used.get(key); // most recently used now
            return Kept.KNOWN;
        }
        boolean idKnown = used.keySet().stream().anyMatch(k -> modelOf(k).equals(d.model()));
        store.put(key, json);
        parsed.put(key, d);
        used.put(key, json.length());
        bytes += json.length();
        evict();
        return idKnown ? Kept.CHANGED : Kept.NEW;
    }

    /**
     * The description a mask was made with: the one of {@code digest}; without a digest, the one
     * kept for the model id when there is exactly one.
     */
    Optional<ModelDescription> get(String model, String digest) {
        String key = digest.isEmpty() ? onlyOf(model) : key(model, digest);
        if (key == null || !used.containsKey(key)) {
            return Optional.empty();
        }
        used.get(key);
        ModelDescription d = parsed.get(key);
        if (d == null) {
            String stored = store.get(key);
            if (stored == null) {
                return Optional.empty();
            }
            try {
                d = ModelDescriptionJson.read(stored.getBytes(StandardCharsets.UTF_8));
            } catch (MalformedRecordException e) {
                return Optional.empty();
            }
            parsed.put(key, d);
        }
        return Optional.of(d);
    }

    /** How many descriptions are kept. */
    int size() {
        return used.size();
    }

    /** The one description kept for the model; null when none, or several differ (a digest must say which). */
    private String onlyOf(String model) {
        String only = null;
        for (String k : used.keySet()) {
            if (modelOf(k).equals(model)) {
                if (only != null) {
                    return null;
                }
                only = k;
            }
        }
        return only;
    }

    private void evict() {
        Iterator<Map.Entry<String, Integer>> it = used.entrySet().iterator();
        while ((used.size() > MAX_MODELS || bytes > MAX_BYTES) && it.hasNext()) {
            Map.Entry<String, Integer> eldest = it.next();
            it.remove();
            bytes -= eldest.getValue();
            store.delete(eldest.getKey());
            parsed.remove(eldest.getKey());
        }
    }

    /** The store key: the model id, a NUL (no id holds one), the digest. */
    private static String key(String model, String digest) {
        return model + '\0' + digest;
    }

    private static String modelOf(String key) {
        return key.substring(0, key.lastIndexOf('\0'));
    }
}
