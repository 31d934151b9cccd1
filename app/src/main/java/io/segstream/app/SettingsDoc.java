package io.segstream.app;

import io.segstream.runtime.Setting;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docs/settings.md: every command's settings (option, environment variable, default, meaning),
 * made from the settings' declarations; {@code SettingsDocTest} keeps the file equal to it.
 */
final class SettingsDoc {

    private SettingsDoc() {}

    static String markdown(CommandLine root) {
        StringBuilder md = new StringBuilder();
        md.append("# Settings\n\n")
                .append(
                        "Every setting of the `segstream` commands, made from its one declaration in the code (a `Setting`\n")
                .append(
                        "beside the configuration it sets: `SegmenterConfig`, `SinkConfig`, `IngestConfig`, ...): the option,\n")
                .append(
                        "the environment variable that sets it for the services (`ingest`, `segment`, `sink`; the command\n")
                .append(
                        "line wins over the environment, the environment over the default), the default and what it does.\n")
                .append(
                        "A value a setting refuses is one line naming the option and why, and the command exits with 2.\n")
                .append(
                        "`SettingsDocTest` fails when this file and the code differ (it writes the file the code makes to\n")
                .append("`app/target/settings.md`).\n")
                .append(
                        "Options that are not settings (inputs such as `--input`, `--camera`, `--model`, the Kafka client\n")
                .append("properties) are in `segstream <command> --help` and [command-line.md](command-line.md).\n");
        for (CommandLine sub : new LinkedHashSet<>(root.getSubcommands().values())) {
            CommandSpec spec = sub.getCommandSpec();
            List<Setting<?>> settings = new ArrayList<>(new LinkedHashSet<>(Main.settingsOf(spec, new ArrayList<>())));
            if (settings.isEmpty()) {
                continue;
            }
            boolean service = EnvironmentDefaults.SERVICES.contains(spec.name());
            md.append("\n## `segstream ").append(spec.name()).append("`\n\n");
            md.append(
                    service
                            ? "| option | environment | default | meaning |\n|---|---|---|---|\n"
                            : "| option | default | meaning |\n|---|---|---|\n");
            for (Setting<?> s : settings) {
                md.append("| `")
                        .append(s.option())
                        .append(' ')
                        .append(s.label())
                        .append("` | ");
                if (service) {
                    md.append('`').append(s.variable()).append("` | ");
                }
                md.append(
                                s.defaultText().isEmpty()
                                        ? "(required)"
                                        : s.defaultIsValue() ? "`" + s.defaultText() + "`" : s.defaultText())
                        .append(" | ")
                        .append(s.doc().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return md.toString();
    }
}
