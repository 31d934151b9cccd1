package io.segstream.ingest.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The records of the cameras topic: key = camera id, value = the camera's keys as a JSON object
 * (schema {@code schemas/camera.schema.json}; the keys of the cameras file, {@code options} a nested
 * object), a tombstone removes the camera. A value from any producer is checked as the cameras file
 * is: at most {@value Topics#MAX_CAMERA_RECORD_BYTES} bytes, valid UTF-8 JSON, known keys only, and a
 * camera that binds.
 */
public final class CameraRecords {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(8)
                        .maxStringLength(Topics.MAX_CAMERA_RECORD_BYTES)
                        .build());
    }

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private static final Pattern OPTION = Pattern.compile("[a-z0-9_]{1,64}");
    /** Options that would let a source reach what its URL does not name (other protocols, local files). */
    private static final List<String> WIDENING =
            List.of("protocol_whitelist", "protocol_blacklist", "allowed_extensions", "allowed_segment_extensions");

    private static String shorten(String text) {
        String t = String.valueOf(text);
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private CameraRecords() {}

    /** The record value of a camera: its keys but the id (the record key), options nested. */
    public static byte[] encode(CameraSettings camera) {
        return JSON.createObjectNode().setAll(node(camera, false)).toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The camera a record holds.
     *
     * @throws ConfigException naming the first problems (never more than a few lines), when the key or value is not a
     *                         camera
     */
    public static CameraSettings decode(String key, byte[] value) throws ConfigException {
        String where = "camera record " + CameraId.quote(key);
        if (!CameraId.valid(key)) {
            throw new ConfigException(where, List.of("the key must be a camera id: " + CameraId.RULE));
        }
        if (value.length > Topics.MAX_CAMERA_RECORD_BYTES) {
            throw new ConfigException(
                    where,
                    List.of(value.length + " bytes, more than the " + Topics.MAX_CAMERA_RECORD_BYTES
                            + " a camera may have"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(value))
                    .toString());
        } catch (CharacterCodingException e) {
            throw new ConfigException(where, List.of("the value is not UTF-8 text"));
        } catch (JacksonException e) {
            throw new ConfigException(
                    where, List.of("the value is not valid JSON: " + shorten(e.getOriginalMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(where, List.of("the value must be a JSON object of camera keys"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        CamerasFile.read(root, "value", values, options, problems);
        String id = values.get(CameraKey.ID.name());
        if (id != null && !id.strip().equals(key)) {
            problems.add("value: id " + CameraId.quote(id) + " is not the record key");
        }
        options.keySet().forEach(o -> {
            if (!OPTION.matcher(o).matches() || WIDENING.contains(o)) {
                problems.add("options: " + shorten(o) + " is not an FFmpeg option a camera record may set"
                        + " (lower-case names; not " + String.join(", ", WIDENING) + ")");
            }
        });
        values.put(CameraKey.ID.name(), key);
        CameraSettings camera = new CameraSettings(values, options);
        if (problems.isEmpty()) {
            camera.bind("value", problems);
        }
        if (!problems.isEmpty()) {
            // a problem may quote the value it refuses: a record's text is shown bounded
            throw new ConfigException(
                    where,
                    problems.stream().limit(5).map(CameraRecords::shorten).toList());
        }
        return camera;
    }

    /** The cameras in the form of a cameras file (YAML), for {@code segstream cameras export}. */
    public static String toCamerasFile(List<CameraSettings> cameras) {
        ObjectNode root = YAML.createObjectNode();
        cameras.forEach(c -> root.withArray("cameras").add(node(c, true)));
        try {
            return YAML.writeValueAsString(root);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    private static ObjectNode node(CameraSettings camera, boolean withId) {
        ObjectNode n = JSON.createObjectNode();
        if (withId) {
            n.put(CameraKey.ID.name(), camera.id());
        }
        for (CameraKey<?> key : CameraKey.ALL) {
            String v = camera.values().get(key.name());
            if (v != null && key != CameraKey.ID && key != CameraKey.OPTIONS) {
                n.put(key.name(), v);
            }
        }
        if (!camera.options().isEmpty()) {
            ObjectNode o = n.putObject(CameraKey.OPTIONS.name());
            new TreeMap<>(camera.options()).forEach(o::put);
        }
        return n;
    }
}
