package io.segstream.sink.topology;

import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The model descriptions a sink task has seen on its masks partitions, by model id: kept in a
 * changelogged store (so a restarted or moved task still knows them) with the parsed form cached.
 */
final class DescribedModels {

    static final String STORE = "model-descriptions";

    private final KeyValueStore<String, String> store;
    private final Map<String, ModelDescription> parsed = new HashMap<>();

    DescribedModels(KeyValueStore<String, String> store) {
        this.store = store;
    }

    void put(ModelDescription d) {
        store.put(d.model(), ModelDescriptionJson.write(d));
        parsed.put(d.model(), d);
    }

    Optional<ModelDescription> get(String model) {
        ModelDescription d = parsed.get(model);
        if (d == null) {
            String stored = store.get(model);
            if (stored == null) {
                return Optional.empty();
            }
            try {
                d = ModelDescriptionJson.read(stored.getBytes(StandardCharsets.UTF_8));
            } catch (MalformedRecordException e) {
                return Optional.empty();
            }
            parsed.put(model, d);
        }
        return Optional.of(d);
    }
}
