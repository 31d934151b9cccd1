package io.segstream.app;

import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the commands that run a model load it: cache, descriptor, device. */
final class ModelOptions {

    @Mixin
    ModelCacheOption cache;

    @Option(names = "--model-descriptor", paramLabel = "FILE",
            description = "How to feed the model and read it (YAML); default: segstream-model.yaml beside the model, else DeepLab's layout.")
    Optional<Path> modelDescriptor;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "gpu|cpu|auto",
            description = "Where the model runs; auto takes the first GPU TensorFlow sees, else the CPU (default: ${DEFAULT-VALUE}).")
    String device;

    /** The device asked for; a problem is added, and auto returned, when the text is not one. */
    DeviceChoice device(List<String> problems) {
        try {
            return DeviceChoice.parse(device);
        } catch (IllegalArgumentException e) {
            problems.add("--device: " + e.getMessage());
            return DeviceChoice.AUTO;
        }
    }

    Path cache() {
        return cache.cache();
    }

    ModelLoader loader(DeviceChoice choice) {
        return new ModelLoader(cache(), choice, modelDescriptor);
    }
}
