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
