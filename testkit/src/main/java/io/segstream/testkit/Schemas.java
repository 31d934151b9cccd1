package io.segstream.testkit;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;

/**
 * The published JSON Schemas of segstream's records (protocol's {@code schemas/}, the
 * {@code https://segstream.io/schemas/} ids mapped onto the classpath), for tests to hold every
 * record they see to them.
 */
public final class Schemas {

    public static final String FRAME_STATS = "frame-stats";
    public static final String END_OF_STREAM = "end-of-stream";
    public static final String CAMERA_STATS = "camera-stats";
    public static final String CAMERA = "camera";
    public static final String MODEL_DESCRIPTION = "model-description";
    public static final String SHADOW_COMPARISON = "shadow-comparison";
    public static final String SHADOW_SUMMARY = "shadow-summary";

    private static final String BASE = "https://segstream.io/schemas/";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemaIdResolvers(r -> r.mapPrefix(BASE, "classpath:schemas/")));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private Schemas() {}

    /** The problems of {@code json} against the schema {@code name}; empty when it is valid. */
    public static List<String> problems(String name, String json) {
        Schema schema =
                LOADED.computeIfAbsent(name, n -> REGISTRY.getSchema(SchemaLocation.of(BASE + n + ".schema.json")));
        return schema.validate(json, InputFormat.JSON).stream()
                .map(Error::toString)
                .toList();
    }

    /** Fails the test, listing the problems, unless {@code json} is valid against the schema {@code name}. */
    public static void assertValid(String name, String json) {
        List<String> problems = problems(name, json);
        if (!problems.isEmpty()) {
            Assertions.fail("not a valid " + name + " record: " + problems + "\n" + json);
        }
    }
}
