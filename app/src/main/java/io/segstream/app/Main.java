package io.segstream.app;

import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            ShadowCommand.class
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
        return new CommandLine(new Main())
                .setDefaultValueProvider(new EnvironmentDefaults(env))
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

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
