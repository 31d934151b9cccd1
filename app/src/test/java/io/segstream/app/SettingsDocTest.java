package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.runtime.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Settings are declared once: docs/settings.md, the help and the defaults all come from the declarations. */
class SettingsDocTest {

    private static final CommandLine MAIN = Main.commandLine(Map.of());

    @Test
    void shouldKeepDocsSettingsEqualToWhatTheDeclarationsMake() throws Exception {
        Path root = Path.of(System.getProperty("segstream.root"));
        String made = SettingsDoc.markdown(MAIN);
        Path written = root.resolve("docs/settings.md");
        String committed = Files.exists(written) ? Files.readString(written) : "";
        if (!committed.equals(made)) {
            Files.createDirectories(root.resolve("app/target"));
            Files.writeString(root.resolve("app/target/settings.md"), made);
        }
        assertThat(committed)
                .as("docs/settings.md is not what the settings declare: copy app/target/settings.md over it")
                .isEqualTo(made);
    }

    @Test
    void shouldGiveEachSettingOneOptionWithItsHelpAndDefault() {
        int seen = 0;
        for (CommandLine command : MAIN.getSubcommands().values()) {
            List<Setting<?>> settings = Main.settingsOf(command.getCommandSpec(), new ArrayList<>());
            for (Setting<?> s : settings) {
                OptionSpec option = command.getCommandSpec().findOption(s.option());
                assertThat(option)
                        .as("%s %s", command.getCommandName(), s.option())
                        .isNotNull();
                assertThat(String.join(" ", option.description()))
                        .startsWith(s.doc().substring(0, 10));
                String help = command.getUsageMessage().replaceAll("\\s", ""); // the help wraps lines
                if (s.defaultIsValue()) {
                    assertThat(help).contains("(default:" + s.defaultText().replaceAll("\\s", ""));
                    assertThat(s.defaultValue()).as("the default parses").isPresent();
                }
                seen++;
            }
        }
        assertThat(seen).as("settings found on the commands").isGreaterThan(10);
    }

    /**
     * A row of docs/command-line.md for one setting gives its default as declared (one of the declarations of that
     * name: run's differ), or for a default that is a description, part of it.
     */
    @Test
    void shouldQuoteTheDeclaredDefaultWhereTheReadmeGivesOne() throws Exception {
        Map<String, List<Setting<?>>> byName = new java.util.HashMap<>();
        for (CommandLine command : MAIN.getSubcommands().values()) {
            for (Setting<?> s : Main.settingsOf(command.getCommandSpec(), new ArrayList<>())) {
                byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
            }
        }
        Path readme = Path.of(System.getProperty("segstream.root")).resolve("docs/command-line.md");
        int checked = 0;
        for (String line : Files.readAllLines(readme)) {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("^\\| `--([a-z-]+)[^`,]*` \\| ([^|]*) \\|")
                    .matcher(line);
            if (!row.find() || !byName.containsKey(row.group(1))) {
                continue;
            }
            String written = plain(row.group(2));
            List<Setting<?>> declared = byName.get(row.group(1));
            if (written.isEmpty() || written.startsWith("see ") || written.startsWith("env ")) {
                continue;
            }
            assertThat(declared)
                    .as("docs/command-line.md row %s: its default '%s' is not a declared one", row.group(1), written)
                    .anyMatch(s -> written.startsWith(plain(s.defaultText()))
                            || !s.defaultIsValue() && plain(s.defaultText()).contains(written));
            checked++;
        }
        assertThat(checked)
                .as("docs/command-line.md rows of settings with a default")
                .isGreaterThan(3);
    }

    /** Text without code marks, brackets and commas, in lower case: how a default reads in prose and in a declaration. */
    private static String plain(String text) {
        return text.replaceAll("[`(),;]", "").replaceAll("\\s+", " ").strip().toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void shouldRefuseABadValueWithOneLineNamingTheSettingAndWhy() throws Exception {
        StdErr.Captured segment = StdErr.capture(() ->
                Main.execute("segment", "--bootstrap-servers=k:9092", "-m", "m", "--batch-size=0", "--max-age=soon"));

        assertThat(segment.code()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(segment.stderr().lines())
                .contains(
                        "segstream segment: --batch-size must be 1-1024, got 0",
                        "segstream segment: --max-age must be an ISO-8601 duration such as PT1S or PT0.05S, got 'soon'");
    }
}
