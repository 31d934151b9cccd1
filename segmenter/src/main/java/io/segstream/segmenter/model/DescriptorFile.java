package io.segstream.segmenter.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.Scale;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Size;
import io.segstream.protocol.Taxonomy;
import io.segstream.runtime.SmallFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a model descriptor: {@code segstream-model.yaml} inside a SavedModel directory, or
 * {@code <name>.yaml} beside a frozen graph {@code <name>.pb} or an archive {@code <name>.tar.gz}. Every key is optional (absent keys
 * keep the DeepLab defaults); every problem is reported at once.
 *
 * <pre>
 * id:     my-model                             # default: the model's file name
 * input:  {name: image, type: uint8}           # or type: float32, mean: [123.7, 116.3, 103.5], std: [58.4, 57.1, 57.4]
 * size:   {policy: auto}                       # or native / fit / resize / tiles, with width, height, overlap
 * scale:  1                                    # or 1.5, or 912px (a target width)
 * output: {name: labels, kind: labels}         # or kind: logits (the class is the arg-max)
 * classes: cityscapes                          # or a list of {name: road, color: "#804080"}; default: from the graph
 * groups: {drivable: [road], vehicles: [car]}  # driving groups by class name; default: Cityscapes' names
 * </pre>
 */
public final class DescriptorFile {

    public static final String NAME = "segstream-model.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    /** The largest side a descriptor may give a size. */
    static final int MAX_SIDE = 16384;

    private DescriptorFile() {}

    /** Where the descriptor of {@code model} would be. */
    public static Path beside(Path model) {
        if (Files.isDirectory(model)) {
            return model.resolve(NAME);
        }
        String name = model.getFileName().toString();
        for (String suffix : new String[] {".pb", ".tar.gz", ".tgz"}) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
                break;
            }
        }
        return model.resolveSibling(name + ".yaml");
    }

    /**
     * The descriptor beside {@code model}; else the one of this repository's descriptors whose
     * {@code graphs} name the SHA-256 of the model's graph ({@link KnownDescriptors}); else the
     * DeepLab defaults.
     */
    public static ModelDescriptor forModel(Path model) {
        Path file = beside(model);
        if (Files.exists(file)) {
            return read(file);
        }
        return KnownDescriptors.forGraphOf(model).orElse(ModelDescriptor.DEEPLAB);
    }

    /**
     * @throws InvalidModelException listing every problem of the file
     */
    public static ModelDescriptor read(Path file) {
        String text;
        try {
            text = SmallFiles.read(file);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read the model descriptor " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * A descriptor's text, {@code origin} naming it in errors.
     *
     * @throws InvalidModelException listing every problem of the text
     */
    static ModelDescriptor parse(String text, String origin) {
        String file = origin;
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidModelException(
                    "model descriptor " + file + " is not valid YAML: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        ModelDescriptor d = ModelDescriptor.DEEPLAB;
        if (root == null || root.isNull()) {
            return d;
        }
        if (!root.isObject()) {
            throw new InvalidModelException(
                    "model descriptor " + file + ": expected a mapping with input, size, output, classes");
        }
        unknown(root, Set.of("id", "graphs", "input", "size", "scale", "output", "classes", "groups"), "", problems);
        graphs(root.path("graphs"), problems);
        Optional<String> id = d.id();
        JsonNode idNode = root.path("id");
        if (!idNode.isMissingNode()) {
            if (idNode.isTextual() && ModelIds.valid(idNode.asText())) {
                id = Optional.of(idNode.asText());
            } else {
                problems.add("id: " + ModelIds.RULE + ", got '" + idNode.asText() + "'");
            }
        }
        String input = d.input();
        ModelDescriptor.InputType type = d.inputType();
        float[] mean = d.mean();
        float[] std = d.std();
        JsonNode in = root.path("input");
        if (!in.isMissingNode()) {
            unknown(in, Set.of("name", "type", "mean", "std"), "input.", problems);
            input = in.path("name").asText(input);
            type = parseEnum(in.path("type"), ModelDescriptor.InputType.class, type, "input.type", problems);
            mean = triple(in.path("mean"), mean, "input.mean", problems);
            std = triple(in.path("std"), std, "input.std", problems);
            for (float v : std) {
                if (!(v > 0)) {
                    problems.add("input.std: values must be > 0");
                    std = d.std();
                    break;
                }
            }
        }
        ModelDescriptor.SizePolicy size = sizePolicy(root.path("size"), d.size(), problems);
        Scale scale = d.scale();
        JsonNode scaleNode = root.path("scale");
        if (!scaleNode.isMissingNode()) {
            try {
                scale = Scale.parse(scaleNode.asText());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        String output = d.output();
        ModelDescriptor.OutputKind kind = d.outputKind();
        JsonNode out = root.path("output");
        if (!out.isMissingNode()) {
            unknown(out, Set.of("name", "kind"), "output.", problems);
            kind = parseEnum(out.path("kind"), ModelDescriptor.OutputKind.class, kind, "output.kind", problems);
            output = out.path("name").asText(kind == ModelDescriptor.OutputKind.LOGITS ? "logits" : output);
        }
        Optional<Taxonomy> taxonomy = classes(root.path("classes"), problems).or(d::classes);
        Map<String, List<String>> groups = groups(root.path("groups"), taxonomy, problems);
        if (!problems.isEmpty()) {
            throw new InvalidModelException("model descriptor " + file + ": " + String.join("; ", problems));
        }
        return new ModelDescriptor(id, input, type, mean, std, size, scale, output, kind, taxonomy, groups);
    }

    private static ModelDescriptor.SizePolicy sizePolicy(
            JsonNode sz, ModelDescriptor.SizePolicy fallback, List<String> problems) {
        if (sz.isMissingNode()) {
            return fallback;
        }
        unknown(sz, Set.of("policy", "width", "height", "overlap"), "size.", problems);
        ModelDescriptor.SizePolicy.Mode mode = parseEnum(
                sz.path("policy"),
                ModelDescriptor.SizePolicy.Mode.class,
                ModelDescriptor.SizePolicy.Mode.AUTO,
                "size.policy",
                problems);
        boolean given = sz.has("width") || sz.has("height");
        int w = sz.path("width").asInt(0);
        int h = sz.path("height").asInt(0);
        double overlap = sz.path("overlap").asDouble(ModelDescriptor.SizePolicy.DEFAULT_OVERLAP);
        if (!(overlap >= 0 && overlap <= 0.75)) {
            problems.add("size.overlap: a fraction of a tile within 0..0.75, got "
                    + sz.path("overlap").asText());
            overlap = ModelDescriptor.SizePolicy.DEFAULT_OVERLAP;
        }
        if ((given || mode == ModelDescriptor.SizePolicy.Mode.RESIZE)
                && (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE)) {
            problems.add("size: policy " + mode.name().toLowerCase(Locale.ROOT) + " needs width and height within 1.."
                    + MAX_SIDE);
            return fallback;
        }
        return new ModelDescriptor.SizePolicy(mode, given ? Optional.of(new Size(w, h)) : Optional.empty(), overlap);
    }

    private static Map<String, List<String>> groups(JsonNode node, Optional<Taxonomy> taxonomy, List<String> problems) {
        if (node.isMissingNode()) {
            return Map.of();
        }
        unknown(node, Set.copyOf(DrivingGroups.NAMES), "groups.", problems);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String group : DrivingGroups.NAMES) {
            JsonNode names = node.path(group);
            if (names.isMissingNode()) {
                continue;
            }
            if (!names.isArray()) {
                problems.add("groups." + group + ": a list of class names");
                continue;
            }
            List<String> list = new ArrayList<>();
            for (JsonNode n : names) {
                if (taxonomy.isPresent() && taxonomy.get().byName(n.asText()).isEmpty()) {
                    problems.add("groups." + group + ": no class '" + n.asText() + "' in the class list");
                }
                list.add(n.asText());
            }
            out.put(group, list);
        }
        return out;
    }

    private static Optional<Taxonomy> classes(JsonNode node, List<String> problems) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            if (node.asText().equalsIgnoreCase("cityscapes")) {
                return Optional.of(Cityscapes.TAXONOMY);
            }
            problems.add("classes: 'cityscapes' or a list of {name, color}, got '" + node.asText() + "'");
            return Optional.empty();
        }
        if (!node.isArray() || node.isEmpty()) {
            problems.add("classes: 'cityscapes' or a list of {name, color}");
            return Optional.empty();
        }
        if (node.size() > Taxonomy.MAX_CLASSES) {
            problems.add("classes: at most " + Taxonomy.MAX_CLASSES + " (a mask byte), got " + node.size());
            return Optional.empty();
        }
        List<SegmentationClass> list = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            String name = c.path("name").asText("");
            String color = c.path("color").asText("");
            if (name.isBlank() || !COLOR.matcher(color).matches()) {
                problems.add("classes[" + i + "]: needs a name and a color like \"#804080\"");
                continue;
            }
            try {
                list.add(new SegmentationClass(list.size(), name, Integer.parseInt(color.substring(1), 16)));
            } catch (IllegalArgumentException e) {
                problems.add("classes[" + i + "]: " + e.getMessage());
            }
        }
        if (list.size() != node.size()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Taxonomy("custom", list));
        } catch (IllegalArgumentException e) {
            problems.add("classes: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static float[] triple(JsonNode node, float[] fallback, String key, List<String> problems) {
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isArray()
                || node.size() != 3
                || !node.get(0).isNumber()
                || !node.get(1).isNumber()
                || !node.get(2).isNumber()) {
            problems.add(key + ": three numbers (R, G, B)");
            return fallback;
        }
        return new float[] {
            node.get(0).floatValue(), node.get(1).floatValue(), node.get(2).floatValue()
        };
    }

    private static <E extends Enum<E>> E parseEnum(
            JsonNode node, Class<E> type, E fallback, String key, List<String> problems) {
        if (node.isMissingNode()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E v : type.getEnumConstants()) {
                names.add(v.name().toLowerCase(Locale.ROOT));
            }
            problems.add(key + ": one of " + names + ", got '" + node.asText() + "'");
            return fallback;
        }
    }

    /**
     * {@code graphs}: the SHA-256 (64 lowercase hex digits) of each graph file this descriptor is for
     * (a frozen .pb, a SavedModel's saved_model.pb); absent or empty in a descriptor given by path.
     */
    static List<String> graphs(JsonNode node, List<String> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add("graphs: expected a list of SHA-256 digests");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode g : node) {
            if (g.isTextual() && g.asText().matches("[0-9a-f]{64}")) {
                out.add(g.asText());
            } else {
                problems.add("graphs: '" + g.asText() + "' is not a SHA-256 (64 lowercase hex digits)");
            }
        }
        return out;
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        if (!node.isObject()) {
            problems.add(
                    (prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1) + ": ") + "expected a mapping");
            return;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problems.add("unknown key '" + prefix + k + "'");
            }
        });
    }
}
