package io.segstream.segmenter.eval;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.segstream.runtime.SmallFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A class mapping file: YAML pairs {@code class of one model: class it stands for} (of another
 * model, for shadow; of the ground truth, for eval), as descriptors/ade20k32-to-camvid.yaml.
 */
public final class ClassPairs {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ClassPairs() {}

    /**
     * The pairs in the file, in its order.
     *
     * @throws IllegalArgumentException naming the file and why it is not such a mapping
     */
    public static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(SmallFiles.read(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "mapping file " + file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the mapping file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("mapping file " + file + ": expected pairs 'class: class it maps onto'");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> pairs.put(e.getKey(), e.getValue().asText()));
        return pairs;
    }
}
