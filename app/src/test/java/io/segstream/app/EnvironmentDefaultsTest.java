package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EnvironmentDefaultsTest {

    @Test
    void shouldTakeEveryServiceOptionFromTheEnvironmentUnlessGivenOnTheCommandLine() {
        Map<String, String> env = Map.of(
                "SEGSTREAM_BOOTSTRAP_SERVERS", "kafka:9092",
                "SEGSTREAM_MODEL", "/models/deeplab",
                "SEGSTREAM_BATCH_SIZE", "8",
                "SEGSTREAM_KAFKA_PROPERTY", "session.timeout.ms=6000;security.protocol=SSL",
                "SEGSTREAM_METRICS_PORT", "9999");
        SegmentCommand segment = parse(new SegmentCommand(), env, "--metrics-port", "1234");

        assertThat(segment.cluster.bootstrapServers).isEqualTo("kafka:9092");
        assertThat(segment.modelOptions.model).hasToString("/models/deeplab");
        java.util.List<String> problems = new java.util.ArrayList<>();
        segment.batch.validate(problems);
        segment.endpoint.validate(problems);
        assertThat(problems).isEmpty();
        assertThat(segment.batch.batchSize).as("a setting from the environment").isEqualTo(8);
        assertThat(segment.batch.maxAge).as("a setting's own default").hasToString("PT1S");
        assertThat(segment.cluster.client.properties)
                .containsExactlyInAnyOrderEntriesOf(Map.of("session.timeout.ms", "6000", "security.protocol", "SSL"));
        assertThat(segment.endpoint.port()).as("the command line wins").isEqualTo(1234);
    }

    @Test
    void shouldTakeSeveralCamerasFromOneVariableAndKeepBuiltInDefaultsOtherwise() {
        IngestCommand ingest = parse(
                new IngestCommand(),
                Map.of("SEGSTREAM_CAMERA", "front=rtsp://a/1;rear=rtsp://b/2", "SEGSTREAM_PNG", "true"));

        ingest.endpoint.validate(new java.util.ArrayList<>());
        assertThat(ingest.cameras).containsExactly("front=rtsp://a/1", "rear=rtsp://b/2");
        assertThat(ingest.png).isTrue();
        assertThat(ingest.endpoint.port()).isEqualTo(9400);
    }

    @Test
    void shouldLeaveTheEmbeddedRunToItsCommandLine() {
        RunCommand run = parse(
                new RunCommand(),
                Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", "kafka:9092", "SEGSTREAM_OUT", "/x"),
                "--model=m",
                "--out=o");

        assertThat(run.bootstrapServers).isEmpty();
    }

    @Test
    void shouldDocumentEveryVariableOfTheServicesInTheReadme() throws Exception {
        java.util.Map<String, java.util.TreeSet<String>> services = new java.util.TreeMap<>();
        java.util.Map<String, String> options = new java.util.TreeMap<>();
        CommandLine main = Main.commandLine(Map.of());
        for (String command : new java.util.TreeSet<>(EnvironmentDefaults.SERVICES)) {
            for (CommandLine.Model.OptionSpec o :
                    main.getSubcommands().get(command).getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                services.computeIfAbsent(EnvironmentDefaults.variable(o), v -> new java.util.TreeSet<>())
                        .add(command);
                options.put(EnvironmentDefaults.variable(o), o.longestName());
            }
        }
        java.util.List<String> expected = new java.util.ArrayList<>();
        services.forEach(
                (v, cs) -> expected.add("| `" + v + "` | `" + options.get(v) + "` | " + String.join(", ", cs) + " |"));

        java.util.List<String> documented = java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of(System.getProperty("segstream.root"))
                                .resolve("docs/command-line.md"))
                .stream()
                .filter(l -> l.startsWith("| `SEGSTREAM_")
                        && l.matches("\\| `SEGSTREAM_[A-Z_]+` \\| `--[a-z-]+` \\| [a-z, ]+ \\|"))
                .toList();

        assertThat(documented)
                .as("docs/command-line.md's table of environment variables; expected:%n%s", String.join("\n", expected))
                .containsExactlyElementsOf(expected);
    }

    private static <T> T parse(T command, Map<String, String> env, String... args) {
        CommandLine cl = Main.commandLine(env);
        String name =
                command.getClass().getAnnotation(CommandLine.Command.class).name();
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult result = cl.parseArgs(all);
        @SuppressWarnings("unchecked")
        T parsed = (T) result.subcommand().commandSpec().userObject();
        return parsed;
    }
}
