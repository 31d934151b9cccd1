package io.segstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.Setting;
import io.segstream.runtime.TopicCreator;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.ModelStartException;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.output.Recordings;
import io.segstream.sink.view.LiveBoard;
import io.segstream.sink.view.LiveView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All three services in one JVM on recorded or live inputs: starts the broker (unless a cluster is
 * given), creates the topics, runs sink, segmenter and ingest, and returns when every input's
 * end-of-stream has come out of the sink (live inputs end when the run is stopped). Exit code 0 when every input was read to its end and every frame was
 * segmented, 1 when an input could not be read, 2 when the model or the pipeline could not start or
 * stopped before the end, 3 when frames came through without a mask (failed, missing or lost); the
 * last lines then say how many, and why.
 */
final class EmbeddedRun {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRun.class);

    /** The most partitions the run creates of itself: a cameras file of thousands does not make thousands. */
    static final int MAX_DEFAULT_PARTITIONS = 64;

    // The run's own settings: where it differs from the services', it says so.

    static final Setting<Integer> PARTITIONS = Setting.described(
            "partitions",
            "N",
            "one per camera, at most " + MAX_DEFAULT_PARTITIONS,
            "Partitions of the frames and masks topics when created; the cameras take them in turn.",
            Setting.intWithin(1, 10_000));
    static final Setting<Integer> LIVE_AHEAD = IngestConfig.LIVE_AHEAD.withDefault(
            "2",
            "Live cameras: most frames per camera published but not yet segmented; the others are dropped before"
                    + " they are encoded; 0 = no bound.");
    static final Setting<Duration> STALL_TIMEOUT = Setting.of(
            "stall-timeout",
            "DURATION",
            "PT5M",
            "Give up when no frame has come through for this long, ISO-8601.",
            Setting.durationFrom(Duration.ofMillis(1)));

    record Settings(
            List<CameraSpec> cameras,
            Path model,
            ModelLoader loader,
            Path out,
            Optional<String> bootstrapServers,
            Map<String, String> kafka,
            String topicPrefix,
            int partitions,
            SinkOptions sink,
            Duration stallTimeout,
            int batchSize,
            Duration maxWait,
            Duration maxAge,
            ViewOptions view,
            int liveAhead) {}

    private final Settings s;
    private volatile boolean stopping;
    /** The run's closing "segstream:" lines, printed last, after the services' own log lines. */
    private final List<String> closingLines = new ArrayList<>();

    EmbeddedRun(Settings settings) {
        this.s = settings;
    }

    int call() {
        long started = System.nanoTime();
        SegmentationModel model;
        try {
            model = s.loader().load(s.model());
        } catch (InvalidModelException e) {
            System.err.println("segstream: model refused: " + e.getMessage());
            return ExitCode.REFUSED.code();
        }
        Path stateDir;
        boolean outCreated = !Files.exists(s.out());
        try {
            Files.createDirectories(s.out());
            stateDir = Files.createTempDirectory("segstream-sink-state-");
        } catch (IOException e) {
            model.close();
            System.err.println("segstream: cannot create the output directory " + s.out() + ": " + e);
            return ExitCode.REFUSED.code();
        }
        try (model;
                EmbeddedKafkaHandle kafka = EmbeddedKafkaHandle.start(s.bootstrapServers())) {
            int code = runPipeline(kafka.bootstrapServers(), model, stateDir);
            LOG.info("Finished in {} s", String.format("%.1f", (System.nanoTime() - started) / 1e9));
            return code;
        } finally {
            deleteQuietly(stateDir);
            if (outCreated) {
                deleteIfEmpty(s.out());
            }
            closingLines.forEach(System.err::println);
        }
    }

    /** Removes a directory this run created when it holds nothing (a run that failed before any output). */
    private static void deleteIfEmpty(Path dir) {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", dir, e.getMessage());
        }
    }

    private int runPipeline(String bootstrap, SegmentationModel model, Path stateDir) {
        Topics topics = Topics.withPrefix(s.topicPrefix());
        Map<String, Integer> pinned;
        try (Admin admin = Admin.create(KafkaClientProperties.admin(bootstrap, Map.of(), s.kafka()))) {
            TopicCreator.ensure(admin, topics.specs(s.partitions(), (short) 1, Duration.ofHours(24)));
            pinned = pin(
                    s.cameras(),
                    admin.describeTopics(List.of(topics.frames()))
                            .allTopicNames()
                            .get()
                            .get(topics.frames())
                            .partitions()
                            .size());
        } catch (ExecutionException e) {
            System.err.println("segstream: cannot read the partitions of " + topics.frames() + ": "
                    + e.getCause().getMessage());
            return ExitCode.FAILED.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED.code();
        }
        SinkConfig sinkConfig = s.sink()
                .apply(SinkConfig.defaults(
                        bootstrap,
                        topics,
                        s.topicPrefix() + SinkConfig.DEFAULT_APPLICATION_ID,
                        stateDir,
                        Optional.of(s.out())))
                .withKafka(s.kafka());
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String segmenterGroup = s.topicPrefix() + Groups.SEGMENTER;
        LiveBoard board = new LiveBoard();
        Optional<LiveView> view;
        try {
            view = s.view()
                    .start(
                            RunCommand.DEFAULT_VIEW_PORT,
                            true,
                            board,
                            new SimpleMeterRegistry(),
                            sinkConfig.overlayAlpha());
        } catch (IOException e) {
            System.err.println("segstream: cannot serve the live view: " + e.getMessage());
            return ExitCode.REFUSED.code();
        }
        // like the progress lines, not a "segstream:" line: those are what went wrong
        view.ifPresent(v -> System.err.println("live view: " + v.url() + "/"));
        try {
            return runServices(
                    bootstrap, model, topics, sinkConfig, runId, segmenterGroup, view.map(v -> board), pinned);
        } finally {
            view.ifPresent(LiveView::close);
        }
    }

    /**
     * The cameras take the partitions of the frames topic in turn (in the order given), so that with
     * as many partitions as cameras none shares one: a live camera never waits behind a recorded
     * input's frames, which a partition answers in order.
     */
    static Map<String, Integer> pin(List<CameraSpec> cameras, int partitions) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < cameras.size(); i++) {
            out.put(cameras.get(i).id(), i % partitions);
        }
        return out;
    }

    private int runServices(
            String bootstrap,
            SegmentationModel model,
            Topics topics,
            SinkConfig sinkConfig,
            String runId,
            String segmenterGroup,
            Optional<LiveBoard> board,
            Map<String, Integer> pinned) {
        try (SinkService sink = new SinkService(sinkConfig, board, Optional.empty());
                SegmenterWorker segmenter = new SegmenterWorker(
                        SegmenterConfig.defaults(bootstrap, topics)
                                .withGroup(segmenterGroup)
                                .withBatch(s.batchSize(), s.maxWait())
                                .withMaxAge(s.maxAge())
                                .withKafka(s.kafka()),
                        model);
                Ingest ingest = new Ingest(
                        IngestConfig.defaults(bootstrap, topics)
                                .withSegmenterGroup(segmenterGroup)
                                .withLiveAhead(s.liveAhead())
                                .withKafka(s.kafka())
                                .withPartitions(pinned),
                        IngestMetrics.inMemory());
                ProgressWatcher progress = new ProgressWatcher(bootstrap, s.kafka(), topics, System.err)) {
            sink.start();
            Thread segmenterThread = new Thread(segmenter, "segmenter-" + runId);
            AtomicReference<Throwable> segmenterDied = new AtomicReference<>();
            segmenterThread.setUncaughtExceptionHandler((t, e) -> {
                segmenterDied.set(e);
                if (e instanceof ModelStartException) {
                    LOG.error("The segmenter stopped: {}", e.getMessage());
                } else {
                    LOG.error("The segmenter stopped: {}", e.getMessage(), e);
                }
            });
            segmenterThread.start();
            BooleanSupplier pipelineUp = () -> segmenterThread.isAlive()
                    && sink.state() != KafkaStreams.State.ERROR
                    && sink.state() != KafkaStreams.State.NOT_RUNNING;
            List<CompletableFuture<IngestResult>> results =
                    s.cameras().stream().map(ingest::start).toList();
            CountDownLatch drained = new CountDownLatch(1);
            Thread stopLive = stopLiveCamerasOnShutdown(ingest, drained);
            try {
                progress.follow(
                        () -> !results.stream().allMatch(CompletableFuture::isDone) && pipelineUp.getAsBoolean());
                Outcome outcome = new Outcome(progress, segmenter, segmenterDied, sink::failure, closingLines::add);
                if (!results.stream().allMatch(CompletableFuture::isDone)) {
                    outcome.printStopped("while the inputs were read");
                    return ExitCode.REFUSED.code();
                }
                List<IngestResult> ingested =
                        results.stream().map(CompletableFuture::join).toList();
                Set<UUID> sessions =
                        ingested.stream().flatMap(r -> r.sessions().stream()).collect(Collectors.toSet());
                boolean complete = progress.awaitEnd(sessions, pipelineUp, s.stallTimeout());
                return report(ingested, complete, outcome);
            } finally {
                drained.countDown();
                if (stopLive != null && !stopping) {
                    Runtime.getRuntime().removeShutdownHook(stopLive);
                }
            }
        }
    }

    /**
     * With a live camera the run lasts until it is stopped (Ctrl-C, SIGTERM): the cameras then end
     * their sessions and the run goes on as at the end of its inputs, so the overlay files are
     * complete and the run exits with its own code. Where the signals cannot be taken, a shutdown
     * hook does the same and waits while the pipeline finishes.
     */
    private Thread stopLiveCamerasOnShutdown(Ingest ingest, CountDownLatch drained) {
        if (s.cameras().stream().noneMatch(CameraSpec::live)) {
            return null;
        }
        LOG.info("Live cameras run until stopped (Ctrl-C); the run then finishes what they sent");
        Runnable stop = () -> {
            stopping = true;
            LOG.info("Stopping the cameras, then finishing their frames");
            ingest.close();
        };
        if (StopSignals.onStop(stop)) {
            return null;
        }
        Thread hook = new Thread(
                () -> {
                    stop.run();
                    try {
                        drained.await(s.stallTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "segstream-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private int report(List<IngestResult> ingested, boolean complete, Outcome outcome) {
        for (IngestResult r : ingested) {
            if (r.endOfStreamSent()) {
                LOG.info(
                        "Camera {}: {} frames -> {}",
                        r.camera(),
                        r.frames(),
                        s.out().resolve(r.camera()));
            }
        }
        long published = ingested.stream().mapToLong(IngestResult::frames).sum();
        if (!complete) {
            outcome.printStopped(
                    String.format(Locale.ROOT, "with %d of %d frames through", outcome.through(), published));
            return ExitCode.REFUSED.code();
        }
        List<IngestResult> failed =
                ingested.stream().filter(r -> !r.succeeded()).toList();
        failed.forEach(r -> closingLines.add(
                "segstream: camera " + r.camera() + ": " + r.error().orElseThrow()));
        List<String> unwritten = ingested.stream()
                .filter(r -> r.endOfStreamSent() && !live(r.camera()) && !written(r))
                .map(IngestResult::camera)
                .toList();
        unwritten.forEach(c -> closingLines.add("segstream: camera " + c + ": its files in "
                + s.out().resolve(c) + " were not written, see the sink's line above"));
        boolean notSegmented = outcome.printNotSegmented(published);
        return (!failed.isEmpty() || !unwritten.isEmpty()
                        ? ExitCode.FAILED
                        : notSegmented ? ExitCode.NOT_SEGMENTED : ExitCode.OK)
                .code();
    }

    private boolean live(String camera) {
        return s.cameras().stream().anyMatch(c -> c.id().equals(camera) && c.live());
    }

    /** Whether the camera's summary.json is that of a session of this run: its files were written. */
    private boolean written(IngestResult r) {
        Path summary = s.out().resolve(r.camera()).resolve(Recordings.SUMMARY);
        try {
            String session =
                    SUMMARY_JSON.readTree(summary.toFile()).path("session").asText();
            return r.sessions().stream().anyMatch(u -> u.toString().equals(session));
        } catch (IOException e) {
            return false;
        }
    }

    private static final ObjectMapper SUMMARY_JSON = new ObjectMapper();

    /**
     * How the frames came out: the sink's statuses, the segmenter's failure causes, why it stopped if
     * it did; its lines go to {@code say}.
     */
    private record Outcome(
            ProgressWatcher progress,
            SegmenterWorker segmenter,
            AtomicReference<Throwable> segmenterDied,
            Supplier<Optional<String>> sinkFailure,
            Consumer<String> say) {

        long through() {
            return progress.outcomes().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        /** One line: the pipeline stopped, when, and why (the segmenter's or the sink's cause where one stopped). */
        void printStopped(String when) {
            Throwable e = segmenterDied.get();
            Optional<String> sink = sinkFailure.get();
            say.accept("segstream: the pipeline stopped " + when + ", "
                    + (e != null
                            ? "because the segmenter stopped: " + e.getMessage()
                            : sink.map(m -> "because the sink stopped: " + m).orElse("see the log above")));
        }

        /**
         * Once every frame came through: prints how many of the published frames were not
         * segmented, by cause; returns whether any were not.
         */
        boolean printNotSegmented(long published) {
            Map<MaskStatus, Long> out = progress.outcomes();
            long failed = out.getOrDefault(MaskStatus.FAILED, 0L);
            long missing = out.getOrDefault(MaskStatus.MISSING, 0L);
            long lost = Math.max(0, published - through());
            long not = failed + missing + lost;
            if (not == 0) {
                return false;
            }
            say.accept(String.format(
                    Locale.ROOT,
                    "segstream: %d of %d frames were not segmented: %d failed, %d missing, %d lost",
                    not,
                    published,
                    failed,
                    missing,
                    lost));
            segmenter
                    .failures()
                    .counts()
                    .forEach((cause, n) -> say.accept(
                            String.format(Locale.ROOT, "segstream:   %d frame(s) not segmented: %s", n, cause)));
            return true;
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", dir, e.getMessage());
        }
    }

    /** The in-process broker, or nothing to start when a cluster was given. */
    private record EmbeddedKafkaHandle(String bootstrapServers, Optional<EmbeddedKafka> kafka)
            implements AutoCloseable {

        static EmbeddedKafkaHandle start(Optional<String> external) {
            if (external.isPresent()) {
                return new EmbeddedKafkaHandle(external.get(), Optional.empty());
            }
            EmbeddedKafka k = EmbeddedKafka.start();
            return new EmbeddedKafkaHandle(k.bootstrapServers(), Optional.of(k));
        }

        @Override
        public void close() {
            kafka.ifPresent(EmbeddedKafka::close);
        }
    }
}
