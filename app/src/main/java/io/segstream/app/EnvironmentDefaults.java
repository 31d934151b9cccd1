package io.segstream.app;

import io.segstream.runtime.Setting;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of the services ({@code ingest}, {@code segment}, {@code sink}) can be given by an
 * environment variable instead: {@code SEGSTREAM_} and the option's long name in capitals, '-' as
 * '_' ({@code --bootstrap-servers} is {@code SEGSTREAM_BOOTSTRAP_SERVERS}). Repeatable options take
 * their values separated by ';'. The command line wins over the environment, the environment over
 * the built-in default (the metrics port's differs by service: {@link MetricsOptions}). {@code run}, {@code eval} and {@code models} read no environment.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    /** The commands whose options the environment sets. */
    static final Set<String> SERVICES = Set.of("ingest", "segment", "sink");
    /** Separates the values of a repeatable option in one variable. */
    static final String SEPARATOR = ";";

    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        Setting<?> setting = Main.settingsOf(option.command(), new ArrayList<>()).stream()
                .filter(x -> x.option().equals(option.longestName()))
                .findFirst()
                .orElse(null);
        String value = SERVICES.contains(option.command().name()) ? env.get(variable(option)) : null;
        boolean typed = setting != null || !option.type().equals(String.class);
        if (value != null && !(value.isEmpty() && typed)) {
            return value;
        }
        if (setting != null && setting.defaultIsValue()) {
            return setting.defaultText();
        }
        return SERVICES.contains(option.command().name()) ? MetricsOptions.defaultValue(option) : null;
    }

    /** The environment variable of an option. */
    static String variable(OptionSpec option) {
        return "SEGSTREAM_"
                + option.longestName()
                        .replaceFirst("^-+", "")
                        .toUpperCase(Locale.ROOT)
                        .replace('-', '_');
    }
}
