package io.segstream.ingest.config;

import io.segstream.ingest.camera.CameraSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One camera as written, before it is bound: its keys of the cameras file (docs/cameras.md) as text,
 * and its FFmpeg options. The cameras file, {@code --camera} and the records of the cameras topic
 * all come to this, so that one set of checks refuses a bad camera wherever it is written.
 *
 * @param values  key name to value, {@link CameraKey#ID} and {@link CameraKey#SOURCE} included
 * @param options FFmpeg option name to value
 */
public record CameraSettings(Map<String, String> values, Map<String, String> options) {

    public CameraSettings {
        values = Map.copyOf(new LinkedHashMap<>(values));
        options = Map.copyOf(new LinkedHashMap<>(options));
    }

    public String id() {
        return values.getOrDefault(CameraKey.ID.name(), "");
    }

    /** The camera these settings make, adding a problem (prefixed by {@code where}) for each bad or missing key. */
    public Optional<CameraSpec> bind(String where, List<String> problems) {
        return CamerasFile.bind(values, options, where, problems);
    }

    /** These settings under another id. */
    public CameraSettings withId(String id) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(CameraKey.ID.name(), id);
        return new CameraSettings(v, options);
    }
}
