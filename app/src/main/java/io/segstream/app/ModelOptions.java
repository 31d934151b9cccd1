package io.segstream.app;

import io.segstream.protocol.Scale;
import io.segstream.runtime.Setting;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.ModelDescriptor;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.ModelSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * How a command loads and feeds its model: where it runs, the cache, the descriptor and its
 * overrides ({@link ModelSettings}).
 */
@Command
class ModelOptions implements TakesSettings {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private DeviceChoice device = DeviceChoice.AUTO;
    private Path cache = ModelSettings.defaultCache();
    Optional<Path> modelDescriptor = Optional.empty();
    private Optional<Scale> scale = Optional.empty();
    private Optional<ModelDescriptor.SizePolicy.Mode> sizePolicy = Optional.empty();

    @Override
    public List<Setting<?>> settings() {
        return List.of(
                ModelSettings.DEVICE,
                ModelSettings.MODEL_CACHE,
                ModelSettings.MODEL_DESCRIPTOR,
                ModelSettings.SCALE,
                ModelSettings.SIZE_POLICY);
    }

    /** Reads every model setting (a problem for each value refused); the device asked for. Call it first. */
    DeviceChoice device(List<String> problems) {
        SettingValues values = new SettingValues(command, problems);
        device = values.get(ModelSettings.DEVICE);
        cache = values.find(ModelSettings.MODEL_CACHE).orElseGet(ModelSettings::defaultCache);
        modelDescriptor = values.find(ModelSettings.MODEL_DESCRIPTOR);
        scale = values.find(ModelSettings.SCALE);
        sizePolicy = values.find(ModelSettings.SIZE_POLICY);
        return device;
    }

    Path cache() {
        return cache;
    }

    ModelLoader loader(DeviceChoice choice) {
        return new ModelLoader(cache(), choice, modelDescriptor, this::override);
    }

    ModelDescriptor override(ModelDescriptor d) {
        ModelDescriptor out = scale.map(d::withScale).orElse(d);
        if (sizePolicy.isPresent()) {
            try {
                out = out.withSize(new ModelDescriptor.SizePolicy(
                        sizePolicy.get(), d.size().size(), d.size().overlap()));
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(
                        "--size-policy " + sizePolicy.get().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
