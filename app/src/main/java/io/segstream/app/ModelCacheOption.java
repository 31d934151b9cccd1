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

    /** The cache given, else the default; a refused path is a problem in {@code problems}. */
    Path cache(List<String> problems) {
        return new SettingValues(command, problems)
                .find(ModelSettings.MODEL_CACHE)
                .orElseGet(ModelSettings::defaultCache);
    }

    /** The cache for a command that refuses a bad path by throwing. */
    Path cache() {
        List<String> problems = new ArrayList<>();
        Path cache = cache(problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return cache;
    }
}
