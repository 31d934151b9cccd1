package io.segstream.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of a {@link ModelDescription} (schema: {@code schemas/model-description.schema.json}):
 *
 * <pre>
 * {"model":"signate","classes":[{"id":0,"name":"background","color":"#000000"}, ...],
 *  "groups":{"drivable":["lane"],"vehicles":["car"],"persons":["pedestrian"],"twoWheelers":[]},
 *  "crop":{"width":1025,"height":513},"sizing":"fit","scale":"1"}
 * </pre>
 *
 * Reading is bounded: a record of another producer is untrusted.
 */
public final class ModelDescriptionJson {

    /** The largest description accepted (255 classes with 64-character names fit well within it). */
    public static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDescriptionJson() {}

    public static String write(ModelDescription d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", d.model());
        ArrayNode classes = root.putArray("classes");
        for (SegmentationClass c : d.taxonomy().classes()) {
            classes.addObject().put("id", c.id()).put("name", c.name()).put("color", color(c.rgb()));
        }
        ObjectNode groups = root.putObject("groups");
        for (String g : DrivingGroups.NAMES) {
            ArrayNode names = groups.putArray(g);
            d.groups().get(g).forEach(id -> names.add(d.taxonomy().get(id).name()));
        }
        if (d.crop().isPresent()) {
            root.putObject("crop")
                    .put("width", d.crop().get().width())
                    .put("height", d.crop().get().height());
        } else {
            root.putNull("crop");
        }
        root.put("sizing", d.sizing().wireName());
        root.put("scale", d.scale().toString());
        return root.toString();
    }

    /**
     * The description's digest: SHA-256 of its JSON as {@link #write} writes it, 64 lowercase hex
     * digits. A segmenter puts it on every mask ({@code ss.model-digest}), so a consumer uses
     * exactly the description a mask was made with, whatever else was published under the model's id.
     */
    public static String digest(ModelDescription d) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(write(d).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * Reads a description.
     *
     * @throws MalformedRecordException naming what is wrong
     */
    public static ModelDescription read(byte[] json) {
        if (json == null || json.length == 0 || json.length > MAX_BYTES) {
            throw new MalformedRecordException("a model description must be 1.." + MAX_BYTES + " bytes of JSON, got "
                    + (json == null ? 0 : json.length));
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedRecordException("a model description is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedRecordException("a model description cannot be read: " + e.getMessage());
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("model description: " + e.getMessage());
        }
    }

    public static ModelDescription read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ModelDescription parse(JsonNode root) {
        String model = text(root, "model");
        JsonNode classes = root.path("classes");
        if (!classes.isArray() || classes.isEmpty() || classes.size() > Taxonomy.MAX_CLASSES) {
            throw new IllegalArgumentException("'classes' must be a list of 1.." + Taxonomy.MAX_CLASSES + " classes");
        }
        List<SegmentationClass> list = new ArrayList<>(classes.size());
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode c : classes) {
            String color = text(c, "color");
            if (!color.matches("#[0-9a-fA-F]{6}")) {
                throw new IllegalArgumentException("class colour must be like #804080, got '" + color + "'");
            }
            SegmentationClass k = new SegmentationClass(
                    c.path("id").asInt(-1), text(c, "name"), Integer.parseInt(color.substring(1), 16));
            list.add(k);
            ids.put(k.name(), k.id());
        }
        Taxonomy taxonomy = new Taxonomy("described", list);
        List<List<Integer>> groups = new ArrayList<>();
        for (String g : DrivingGroups.NAMES) {
            JsonNode names = root.path("groups").path(g);
            List<Integer> members = new ArrayList<>();
            if (names.isArray()) {
                for (JsonNode n : names) {
                    Integer id = ids.get(n.asText());
                    if (id == null) {
                        throw new IllegalArgumentException(
                                "driving group " + g + " names no class of the model: '" + n.asText() + "'");
                    }
                    members.add(id);
                }
            }
            groups.add(members);
        }
        JsonNode crop = root.path("crop");
        Optional<Size> cropSize = crop.isObject()
                ? Optional.of(new Size(
                        crop.path("width").asInt(0), crop.path("height").asInt(0)))
                : Optional.empty();
        return new ModelDescription(
                model,
                taxonomy,
                new DrivingGroups(groups.get(0), groups.get(1), groups.get(2), groups.get(3)),
                cropSize,
                SizingMode.fromWire(root.path("sizing").asText("native")),
                Scale.parse(root.path("scale").asText("1")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return v.asText();
    }

    static String color(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb);
    }
}
