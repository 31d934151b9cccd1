package io.segstream.app;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --model-cache}: where pulled and converted models are kept. */
final class ModelCacheOption {

    @Option(names = "--model-cache", paramLabel = "DIR")
    Optional<Path> modelCache;

    Path cache() {
        return modelCache.orElse(Path.of(System.getProperty("user.home"), ".cache", "segstream", "models"));
    }
}
