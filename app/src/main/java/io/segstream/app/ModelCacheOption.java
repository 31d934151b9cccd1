package io.segstream.app;

import io.segstream.runtime.Setting;
import io.segstream.segmenter.model.ModelSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code --model-cache}: where pulled and converted models are kept ({@link ModelSettings#MODEL_CACHE}). */
@Command
final class ModelCacheOption implements TakesSettings {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Override
    public List<Setting<?>> settings() {
        return List.of(ModelSettings.MODEL_CACHE);
    }

    /** The cache given, else the default; an IllegalArgumentException naming the option for a refused path. */
    Path cache() {
        List<String> problems = new ArrayList<>();
        Path cache = new SettingValues(command, problems)
                .find(ModelSettings.MODEL_CACHE)
                .orElseGet(ModelSettings::defaultCache);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return cache;
    }
}
