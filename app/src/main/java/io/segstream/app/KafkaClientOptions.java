package io.segstream.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Kafka client properties for every client of a command: --kafka-config's file, then --kafka-property's. */
final class KafkaClientOptions {

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", split = EnvironmentDefaults.SEPARATOR)
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--kafka-config", paramLabel = "FILE")
    Optional<Path> file = Optional.empty();

    private Map<String, String> fromFile = Map.of();

    /** Whether any property was given. */
    boolean given() {
        return !properties.isEmpty() || file.isPresent();
    }

    /** Reads --kafka-config, adding a problem when it cannot be read. */
    void validate(List<String> problems) {
        file.ifPresent(f -> fromFile = KafkaConfigFile.load(f, problems));
    }

    /** The properties: --kafka-config's, then --kafka-property's; call {@link #validate} first. */
    Map<String, String> properties() {
        return KafkaConfigFile.merge(fromFile, properties);
    }
}
