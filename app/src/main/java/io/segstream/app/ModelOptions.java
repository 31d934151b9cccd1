package io.segstream.app;

import io.segstream.protocol.Scale;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.ModelDescriptor;
import io.segstream.segmenter.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the commands that run a model load it: cache, descriptor, scale and size policy, device. */
class ModelOptions {

    @Mixin
    ModelCacheOption cache;

    @Option(names = "--model-descriptor", paramLabel = "FILE")
    Optional<Path> modelDescriptor;

    @Option(names = "--scale", paramLabel = "S")
    Optional<String> scale = Optional.empty();

    @Option(names = "--size-policy", paramLabel = "auto|native|fit|resize|tiles")
    Optional<String> sizePolicy = Optional.empty();

    @Option(names = "--device", defaultValue = "auto", paramLabel = "gpu|cpu|auto")
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

    /** Checks --scale and --size-policy, adding a problem for each that is not valid. */
    void validate(List<String> problems) {
        try {
            scale.ifPresent(Scale::parse);
        } catch (IllegalArgumentException e) {
            problems.add("--scale: " + e.getMessage());
        }
        try {
            sizePolicy.ifPresent(ModelOptions::mode);
        } catch (IllegalArgumentException e) {
            problems.add("--size-policy: " + e.getMessage());
        }
    }

    ModelLoader loader(DeviceChoice choice) {
        return new ModelLoader(cache(), choice, modelDescriptor, this::override);
    }

    /** The descriptor with --scale and --size-policy applied; call {@link #validate} first. */
    ModelDescriptor override(ModelDescriptor d) {
        ModelDescriptor out = scale.map(s -> d.withScale(Scale.parse(s))).orElse(d);
        if (sizePolicy.isPresent()) {
            try {
                out = out.withSize(new ModelDescriptor.SizePolicy(
                        mode(sizePolicy.get()), d.size().size(), d.size().overlap()));
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException("--size-policy " + sizePolicy.get() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static ModelDescriptor.SizePolicy.Mode mode(String text) {
        try {
            return ModelDescriptor.SizePolicy.Mode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("one of auto, native, fit, resize, tiles; got '" + text + "'");
        }
    }
}
