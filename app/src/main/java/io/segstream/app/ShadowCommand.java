package io.segstream.app;

import io.segstream.app.shadow.ShadowRun;
import io.segstream.runtime.Setting;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.sink.stats.EgoCorridor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segstream shadow}: a candidate model on production's retained frames, compared with production's masks. */
@Command(
        name = "shadow",
        mixinStandardHelpOptions = true,
        description = {
            "Replays frames already on Kafka through a candidate model and compares its masks with production's,",
            "without labels and without touching production's masks, statistics, offsets or video.",
            "Publishes the candidate's masks and the comparisons under --shadow-prefix, prints a table and",
            "writes <out>/shadow-report.html with the frames the two disagree on most."
        })
final class ShadowCommand implements Callable<Integer>, TakesSettings {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ModelFileOptions modelOptions;

    @Option(names = "--cameras", paramLabel = "REGEX", converter = RegexConverter.class)
    Optional<Pattern> cameras = Optional.empty();

    @Option(names = "--from", paramLabel = "INSTANT")
    Optional<String> from = Optional.empty();

    @Option(names = "--live")
    boolean live;

    @Option(names = "--to", paramLabel = "INSTANT")
    Optional<String> to = Optional.empty();

    @Option(names = "--mapping", paramLabel = "FILE")
    Optional<Path> mapping = Optional.empty();

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "DIR")
    Path out;

    @Spec
    CommandSpec spec;

    private String shadowPrefix;
    private Duration window;
    private int maxFrames;
    private int show;

    @Override
    public List<Setting<?>> settings() {
        return List.of(ShadowRun.SHADOW_PREFIX, ShadowRun.WINDOW, ShadowRun.MAX_FRAMES, ShadowRun.SHOW);
    }

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        DeviceChoice device = modelOptions.device(problems);
        Range range = validate(problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("segstream shadow: " + p));
            return ExitCode.REFUSED.code();
        }
        try (SegmentationModel candidate = modelOptions.load(device)) {
            ShadowRun.Settings settings = new ShadowRun.Settings(
                    cluster.bootstrapServers,
                    cluster.kafka(),
                    cluster.topics(),
                    shadowPrefix,
                    cameras,
                    range.start(),
                    range.end(),
                    mapping,
                    out,
                    maxFrames,
                    show,
                    EgoCorridor.DEFAULT);
            ShadowRun run = new ShadowRun(settings, candidate, System.err);
            return exitCode(live ? liveUntilStopped(run) : run.replay());
        } catch (InvalidModelException e) {
            System.err.println("segstream shadow: model refused: " + e.getMessage());
            return ExitCode.REFUSED.code();
        } catch (IllegalArgumentException e) {
            System.err.println("segstream shadow: " + e.getMessage());
            return ExitCode.REFUSED.code();
        }
    }

    /** The capture times a replay covers (now for a live run). */
    private record Range(Instant start, Instant end) {}

    /** Adds each problem with the options; the range replayed. */
    private Range validate(List<String> problems) {
        cluster.validate(problems);
        SettingValues values = new SettingValues(spec, problems);
        shadowPrefix = values.get(ShadowRun.SHADOW_PREFIX);
        window = values.get(ShadowRun.WINDOW);
        maxFrames = values.get(ShadowRun.MAX_FRAMES);
        show = values.get(ShadowRun.SHOW);
        if (live == from.isPresent()) {
            problems.add("give either --from (and --to) to replay a range, or --live");
        }
        Instant start = from.map(f -> instant("--from", f, problems)).orElse(Instant.now());
        Instant end = to.map(t -> instant("--to", t, problems)).orElse(Instant.now());
        if (!live && start != null && end != null && !end.isAfter(start)) {
            problems.add("--to must be after --from");
        }
        if (shadowPrefix != null && shadowPrefix.equals(cluster.topicPrefix)) {
            problems.add("--shadow-prefix must differ from --topic-prefix, both are '" + shadowPrefix + "'");
        }
        mapping.filter(m -> !Files.isRegularFile(m)).ifPresent(m -> problems.add("--mapping: no file " + m));
        return new Range(start, end);
    }

    private static int exitCode(ShadowRun.Outcome outcome) {
        return switch (outcome) {
            case DONE -> ExitCode.OK.code();
            case NOTHING_CAPTURED -> ExitCode.FAILED.code();
            case CANNOT_READ -> ExitCode.REFUSED.code();
        };
    }

    /** Shadows live until SIGTERM or Ctrl-C, which waits (30 s at most) for the last window's report. */
    private ShadowRun.Outcome liveUntilStopped(ShadowRun run) throws IOException {
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    running.set(false);
                    try {
                        done.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "shadow-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.live(window, running::get);
        } finally {
            done.countDown();
        }
    }

    private static Instant instant(String option, String text, List<String> problems) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(option + " must be an ISO-8601 instant like 2026-11-30T05:00:00Z, got '" + text + "'");
            return null;
        }
    }
}
