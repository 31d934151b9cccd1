package io.segstream.ingest.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.source.SourceSpec;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.runtime.SmallFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The cameras of an ingest process, from a YAML file:
 *
 * <pre>
 * defaults:            # any camera key but id and source
 *   fps: 10
 *   max-size: 1280x720
 * cameras:
 *   - id: front
 *     source: rtsp://10.0.0.7:554/stream1
 *     rtsp-transport: udp
 *   - id: drive-0042
 *     source: /data/drives/0042.mp4
 * </pre>
 *
 * Every problem in the file is reported at once, each naming the camera and the key.
 */
public final class CamerasFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CamerasFile() {}

    public static List<CameraSpec> load(Path file) throws ConfigException {
        List<String> problems = new ArrayList<>();
        List<CameraSpec> out = new ArrayList<>();
        for (CameraSettings c : entries(file)) {
            c.bind("camera " + c.id(), problems).ifPresent(out::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(file.toString(), problems);
        }
        return out;
    }

    /**
     * The cameras of the file as written, each with the file's defaults applied; every one is checked
     * (a file with any bad camera is refused whole).
     */
    public static List<CameraSettings> entries(Path file) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(SmallFiles.read(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("no such file"));
        } catch (JacksonException e) {
            throw new ConfigException(
                    file.toString(),
                    List.of("not valid YAML: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")")));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read it: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new ConfigException(
                    file.toString(), List.of("expected a mapping with 'cameras:' (and optionally 'defaults:')"));
        }
        unknownKeys(root, Set.of("defaults", "cameras"), "", problems);
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, String> defaultOptions = new LinkedHashMap<>();
        if (root.has("defaults")) {
            read(root.get("defaults"), "defaults", defaults, defaultOptions, problems);
            if (defaults.containsKey("id") || defaults.containsKey("source")) {
                problems.add("defaults: id and source belong to each camera");
            }
        }
        JsonNode cameras = root.get("cameras");
        if (cameras == null || !cameras.isArray() || cameras.isEmpty()) {
            problems.add("cameras: expected a list of at least one camera");
            throw new ConfigException(file.toString(), problems);
        }
        List<CameraSettings> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cameras.size(); i++) {
            Map<String, String> values = new LinkedHashMap<>(defaults);
            Map<String, String> options = new LinkedHashMap<>(defaultOptions);
            JsonNode c = cameras.get(i);
            String where = "cameras[" + i + "]"
                    + (c.hasNonNull("id") ? " (" + c.get("id").asText() + ")" : "");
            read(c, where, values, options, problems);
            String id = values.get(CameraKey.ID.name());
            if (id != null && !ids.add(id.strip())) {
                problems.add(where + ": id '" + id.strip() + "' is used by another camera");
            }
            if (bind(values, options, where, problems).isPresent()) {
                out.add(new CameraSettings(values, options));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(file.toString(), problems);
        }
        return out;
    }

    /**
     * Reads one camera's keys from a JSON or YAML mapping into {@code values} and {@code options},
     * adding a problem for each unknown key or value that is not a single value.
     */
    static void read(
            JsonNode node,
            String where,
            Map<String, String> values,
            Map<String, String> options,
            List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + ": expected a mapping of keys");
            return;
        }
        Set<String> known = new HashSet<>();
        CameraKey.ALL.forEach(k -> known.add(k.name()));
        unknownKeys(node, known, where + ": ", problems);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(CameraKey.OPTIONS.name())) {
                if (!e.getValue().isObject()) {
                    problems.add(where + ": options: expected a mapping of FFmpeg option names to values");
                    continue;
                }
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                o -> options.put(o.getKey(), o.getValue().asText()));
            } else if (known.contains(e.getKey())) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    problems.add(where + ": " + e.getKey() + ": expected a single value");
                } else {
                    values.put(e.getKey(), e.getValue().asText());
                }
            }
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problems.add(prefix + "unknown key '" + k + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    /**
     * Binds raw key values into a camera, adding a problem for each bad or missing key; empty when
     * there was any.
     */
    public static Optional<CameraSpec> bind(
            Map<String, String> values, Map<String, String> options, String where, List<String> problems) {
        int before = problems.size();
        String id = required(values, CameraKey.ID, where, problems);
        String source = required(values, CameraKey.SOURCE, where, problems);
        Optional<Boolean> live = value(values, CameraKey.LIVE, where, problems);
        Optional<Double> fps = value(values, CameraKey.FPS, where, problems);
        Optional<Size> maxSize = value(values, CameraKey.MAX_SIZE, where, problems);
        ImageEncoding encoding =
                value(values, CameraKey.ENCODING, where, problems).orElse(ImageEncoding.JPEG);
        Optional<Integer> quality = value(values, CameraKey.JPEG_QUALITY, where, problems);
        Optional<String> transport = value(values, CameraKey.RTSP_TRANSPORT, where, problems);
        Optional<Scale> scale = value(values, CameraKey.SCALE, where, problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        Map<String, String> opts = new LinkedHashMap<>(options);
        transport.ifPresent(t -> opts.put("rtsp_transport", t));
        try {
            SourceSpec spec = SourceSpec.of(source, opts);
            return Optional.of(new CameraSpec(
                    id,
                    spec,
                    live.orElse(spec.kind().liveByDefault()),
                    fps.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                    maxSize,
                    encoding,
                    quality.orElse(CameraSpec.defaultJpegQuality(spec)),
                    scale));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String required(
            Map<String, String> values, CameraKey<String> key, String where, List<String> problems) {
        String v = values.get(key.name());
        if (v == null || v.isBlank()) {
            problems.add(where + ": " + key.name() + " is required (" + key.doc() + ")");
            return "";
        }
        return v.strip();
    }

    private static <T> Optional<T> value(
            Map<String, String> values, CameraKey<T> key, String where, List<String> problems) {
        String v = values.get(key.name());
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(key.parse(v));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + key.name() + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
