package io.segstream.app;

import io.segstream.runtime.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The segstream command line. */
@Command(
        name = "segstream",
        resourceBundle = "io.segstream.app.Options",
        mixinStandardHelpOptions = true,
        version = "segstream 0.1.0",
        description = "Streaming semantic segmentation of driving video on Apache Kafka.",
        subcommands = {
            RunCommand.class,
            KafkaCommand.class,
            IngestCommand.class,
            SegmentCommand.class,
            SinkCommand.class,
            EvalCommand.class,
            ModelsCommand.class,
            ShadowCommand.class,
            CamerasCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 an input failed, 2 bad usage or model). */
    public static int execute(String... args) {
        return execute(System.getenv(), args);
    }

    /** As {@link #execute(String...)}, with the services' options also read from {@code env}. */
    static int execute(Map<String, String> env, String... args) {
        return commandLine(env)
                .setParameterExceptionHandler((e, given) -> {
                    // one line naming the option and why, not the whole usage: --help shows that
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                    cmd.getErr().println("(" + cmd.getCommandSpec().qualifiedName() + " --help shows every option)");
                    return ExitCode.REFUSED.code();
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    LoggerFactory.getLogger(Main.class).debug("segstream failed", e);
                    cmd.getErr().println("segstream: " + e.getMessage());
                    return ExitCode.REFUSED.code();
                })
                .execute(args);
    }

    /**
     * The command line as users get it: every command with an option for each setting it or its
     * mixins take ({@link TakesSettings}), defaults from {@code env} for the services, else from the
     * settings.
     */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine line = new CommandLine(new Main());
        addSettings(line);
        return line.setDefaultValueProvider(new EnvironmentDefaults(env));
    }

    private static void addSettings(CommandLine line) {
        CommandSpec spec = line.getCommandSpec();
        Map<String, Setting<?>> names = new LinkedHashMap<>();
        for (Setting<?> s : settingsOf(spec, new ArrayList<>())) {
            Setting<?> known = names.putIfAbsent(s.name(), s);
            if (known != null && !known.equals(s)) {
                throw new IllegalStateException(spec.qualifiedName() + " has two different settings named " + s.name());
            }
            if (spec.findOption(s.option()) == null) {
                spec.addOption(OptionSpec.builder(s.option())
                        .type(String.class)
                        .paramLabel(s.label())
                        .description(description(s))
                        .build());
            }
        }
        line.getSubcommands().values().stream().distinct().forEach(Main::addSettings);
    }

    /** The settings of a command and of its mixins, theirs included. */
    static List<Setting<?>> settingsOf(CommandSpec spec, List<Setting<?>> out) {
        if (spec.userObject() instanceof TakesSettings t) {
            out.addAll(t.settings());
        }
        spec.mixins().values().forEach(m -> settingsOf(m, out));
        return out;
    }

    /** A setting's help: what it does and its default (the environment's for a service, which picocli fills in). */
    static String description(Setting<?> s) {
        String doc = s.doc().replace("%", "%%");
        if (s.defaultIsValue()) {
            return doc + " (default: ${DEFAULT-VALUE})";
        }
        return s.defaultText().isEmpty()
                ? doc
                : doc + " (default: " + s.defaultText().replace("%", "%%") + ")";
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
