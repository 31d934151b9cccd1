package io.segstream.app;

import io.segstream.runtime.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The values of a command's settings as given (command line, then the services' environment, then
 * the setting's default), each parsed by its setting: a refused value is one problem naming the
 * option and why, and reads as the setting's default so that every problem is found in one go.
 */
final class SettingValues {

    private final CommandSpec command;
    private final List<String> problems;
    /** Each setting read once: a refused value is one problem however often it is asked for. */
    private final Map<Setting<?>, Optional<?>> read = new HashMap<>();

    SettingValues(CommandSpec command, List<String> problems) {
        this.command = command;
        this.problems = problems;
    }

    /** The value given or the default; null when neither (after a problem, or a setting without a default value). */
    <T> T get(Setting<T> setting) {
        return find(setting).orElseGet(() -> setting.defaultValue().orElse(null));
    }

    /** The value given, if one was (the default does not count unless it is a value). */
    /**
     * The text given (or the environment's, or the default when that is a value), unparsed: for a
     * value another reader checks (a camera's keys, checked with the camera they belong to).
     */
    Optional<String> text(Setting<?> setting) {
        return Optional.ofNullable(option(setting).getValue());
    }

    private OptionSpec option(Setting<?> setting) {
        OptionSpec option = command.findOption(setting.option());
        if (option == null) {
            throw new IllegalStateException(command.qualifiedName() + " has no option " + setting.option());
        }
        return option;
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> find(Setting<T> setting) {
        return (Optional<T>) read.computeIfAbsent(setting, this::parse);
    }

    private <T> Optional<T> parse(Setting<T> setting) {
        String text = option(setting).getValue();
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(setting.parse(text));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }
}
