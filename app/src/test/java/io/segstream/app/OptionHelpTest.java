package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.Groups;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The options' help texts (Options.properties): one for every option, none for an option that is not there. */
class OptionHelpTest {

    private static final List<CommandSpec> COMMANDS = commands(main(), new ArrayList<>());

    @Test
    void shouldDescribeEveryOptionOfEveryCommand() {
        for (CommandSpec command : COMMANDS) {
            for (OptionSpec o : command.options()) {
                assertThat(String.join(" ", o.description()))
                        .as("help text of %s %s", command.qualifiedName(), o.longestName())
                        .isNotBlank()
                        .doesNotContain("null");
            }
        }
    }

    @Test
    void shouldHaveNoTextForAnOptionNoCommandHas() {
        Set<String> plain = new HashSet<>();
        Set<String> qualified = new HashSet<>();
        for (CommandSpec command : COMMANDS) {
            for (OptionSpec o : command.options()) {
                String name = o.longestName().replaceFirst("^-+", "");
                plain.add(name);
                qualified.add(command.qualifiedName(".") + "." + name);
            }
        }
        ResourceBundle texts = ResourceBundle.getBundle("io.segstream.app.Options");
        for (String key : texts.keySet()) {
            String option = key.replaceFirst("\\.\\d+$", "");
            assertThat(option.startsWith("segstream.") ? qualified : plain)
                    .as("the option of help text %s", key)
                    .contains(option);
        }
    }

    @Test
    void shouldQuoteTheDefaultsThatCodeDefines() {
        assertThat(help("run", "--partitions")).contains("at most " + EmbeddedRun.MAX_DEFAULT_PARTITIONS + ")");
        assertThat(help("segment", "--group")).contains("topic prefix + " + Groups.SEGMENTER + ")");
        assertThat(help("ingest", "--segmenter-group")).contains("topic prefix + " + Groups.SEGMENTER + ")");
        for (String service : MetricsOptions.DEFAULT_PORTS.keySet()) {
            assertThat(help(service, MetricsOptions.PORT.option()))
                    .contains(MetricsOptions.DEFAULT_PORTS.get(service) + " for " + service);
        }
    }

    private static String help(String command, String option) {
        return main().getSubcommands()
                .get(command)
                .getUsageMessage()
                .lines()
                .dropWhile(l -> !l.matches("\\s+(-\\w, )?" + option + "=.*"))
                .limit(4)
                .reduce("", (a, b) -> a + " " + b.strip());
    }

    /** The command line as users get it: defaults from the environment, here an empty one. */
    private static CommandLine main() {
        return Main.commandLine(Map.of());
    }

    private static List<CommandSpec> commands(CommandLine line, List<CommandSpec> out) {
        out.add(line.getCommandSpec());
        line.getSubcommands().values().stream().distinct().forEach(sub -> commands(sub, out));
        return out;
    }
}
