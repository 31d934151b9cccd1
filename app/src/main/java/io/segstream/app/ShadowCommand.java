package io.segstream.app;

import io.segstream.app.shadow.ShadowRun;
import io.segstream.protocol.Checks;
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
import picocli.CommandLine.Option;

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
final class ShadowCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ModelFileOptions modelOptions;

    @Option(names = "--shadow-prefix", defaultValue = "shadow.", paramLabel = "P")
    String shadowPrefix;

    @Option(names = "--cameras", paramLabel = "REGEX", converter = RegexConverter.class)
    Optional<Pattern> cameras = Optional.empty();

    @Option(names = "--from", paramLabel = "INSTANT")
    Optional<String> from = Optional.empty();

    @Option(names = "--live")
    boolean live;

    @Option(names = "--window", defaultValue = "PT1M")
    Duration window;

    @Option(names = "--to", paramLabel = "INSTANT")
    Optional<String> to = Optional.empty();

    @Option(names = "--mapping", paramLabel = "FILE")
    Optional<Path> mapping = Optional.empty();

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "DIR")
    Path out;

    @Option(names = "--max-frames", defaultValue = "20000")
    int maxFrames;

    @Option(names = "--show", defaultValue = "4")
    int show;

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
        if (live == from.isPresent()) {
            problems.add("give either --from (and --to) to replay a range, or --live");
        }
        if (window.toSeconds() < 1 || window.compareTo(Checks.LONGEST) > 0) {
            problems.add("--window must be at least 1 s and at most " + Checks.LONGEST + ", got " + window);
        }
        Instant start = from.map(f -> instant("--from", f, problems)).orElse(Instant.now());
        Instant end = to.map(t -> instant("--to", t, problems)).orElse(Instant.now());
        if (!live && start != null && end != null && !end.isAfter(start)) {
            problems.add("--to must be after --from");
        }
        if (maxFrames < 1 || maxFrames > 1_000_000 || show < 0 || show > 50) {
            problems.add("--max-frames must be 1..1000000 and --show 0..50");
        }
        if (!shadowPrefix.matches("[A-Za-z0-9._-]{1,100}") || shadowPrefix.equals(cluster.topicPrefix)) {
            problems.add("--shadow-prefix must be 1-100 of A-Z a-z 0-9 . _ - and differ from --topic-prefix");
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
