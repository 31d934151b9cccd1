package io.segstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code --kafka-config FILE}: Kafka client properties from a Java properties file (security
 * settings and credentials, which stay off the command line and out of the logs: Kafka prints
 * passwords and JAAS configurations as {@code [hidden]}). {@code --kafka-property} wins over it.
 */
final class KafkaConfigFile {

    /** Longest file read: client properties, not data. */
    static final int MAX_BYTES = 1 << 20;

    private KafkaConfigFile() {}

    /** The file's properties, or none after adding a problem that names the file and why. */
    static Map<String, String> load(Path file, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                problems.add(
                        "--kafka-config " + file + " is larger than " + MAX_BYTES + " bytes: not a properties file");
                return out;
            }
            Properties p = new Properties();
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        } catch (IOException | IllegalArgumentException e) {
            problems.add("--kafka-config " + file + " cannot be read: " + e.getMessage());
        }
        return out;
    }

    /** The file's properties, then the command line's over them. */
    static Map<String, String> merge(Map<String, String> file, Map<String, String> commandLine) {
        Map<String, String> all = new LinkedHashMap<>(file);
        all.putAll(commandLine);
        return all;
    }
}
