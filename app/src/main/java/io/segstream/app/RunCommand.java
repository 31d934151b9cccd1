package io.segstream.app;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.config.CamerasFile;
import io.segstream.ingest.config.ConfigException;
import io.segstream.protocol.Checks;
import io.segstream.protocol.ImageEncoding;
import io.segstream.segmenter.model.DeviceChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segstream run}: the whole pipeline on recorded inputs, by default against an in-process broker. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline on recorded inputs and live cameras.",
            "Ingest, segmenter and sink run until every frame has gone through (live cameras: until Ctrl-C),",
            "writing <out>/<camera>/overlay.mp4 and <out>/<camera>/stats.jsonl.",
            "Without --bootstrap-servers it starts an in-process Kafka broker (KRaft)."
        })
final class RunCommand implements Callable<Integer> {

    @Option(
            names = {"-i", "--input"},
            paramLabel = "SOURCE")
    List<String> inputs = new ArrayList<>();

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE")
    Optional<Path> config;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "DIR")
    Path out;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT")
    Optional<String> bootstrapServers;

    @Mixin
    KafkaClientOptions client;

    @Option(names = "--topic-prefix", defaultValue = "")
    String topicPrefix;

    @Option(names = "--partitions", paramLabel = "N")
    Integer partitions;

    /** The most partitions the run creates of itself: a cameras file of thousands does not make thousands. */
    static final int MAX_DEFAULT_PARTITIONS = 64;

    @Option(names = "--jpeg-quality")
    Optional<Integer> jpegQuality;

    @Option(names = "--png")
    boolean png;

    @Mixin
    SinkOptions sink;

    @Mixin
    ModelFileOptions modelOptions;

    @Mixin
    BatchOptions batch;

    @Mixin
    ViewOptions view;

    /** The live view's port unless --view-port says otherwise (any free one when it is taken). */
    static final int DEFAULT_VIEW_PORT = 8090;

    @Option(names = "--live-ahead", defaultValue = "2", paramLabel = "N")
    int liveAhead;

    @Option(names = "--stall-timeout", defaultValue = "PT5M")
    Duration stallTimeout;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        if (partitions != null && partitions < 1) {
            problems.add("--partitions must be >= 1, got " + partitions);
        }
        if (jpegQuality.isPresent() && (jpegQuality.get() < 1 || jpegQuality.get() > 100)) {
            problems.add("--jpeg-quality must be 1..100, got " + jpegQuality.get());
        }
        if (client.given() && bootstrapServers.isEmpty()) {
            problems.add(
                    "--kafka-property and --kafka-config need --bootstrap-servers: the in-process broker takes plain connections only");
        }
        client.validate(problems);
        sink.validate(problems);
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            problems.add("--stall-timeout must be positive, got " + stallTimeout);
        } else if (stallTimeout.compareTo(Checks.LONGEST) > 0) {
            problems.add("--stall-timeout must be at most " + Checks.LONGEST + ", got " + stallTimeout);
        }
        batch.validate(problems);
        view.validate(problems);
        if (liveAhead < 0) {
            problems.add("--live-ahead must be >= 0, got " + liveAhead);
        }
        DeviceChoice deviceChoice = modelOptions.device(problems);
        modelOptions.validate(problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("segstream: " + p));
            return ExitCode.REFUSED.code();
        }
        List<CameraSpec> cameras = new ArrayList<>();
        if (config.isPresent()) {
            try {
                cameras.addAll(CamerasFile.load(config.get()));
            } catch (ConfigException e) {
                e.problems().forEach(p -> System.err.println("segstream: " + config.get() + ": " + p));
                return ExitCode.REFUSED.code();
            }
        }
        CameraIds ids = new CameraIds();
        cameras.forEach(c -> ids.reserve(c.id()));
        for (String in : inputs) {
            try {
                CameraSpec camera = CameraSpec.of(ids.forInput(in), in);
                cameras.add(camera.withEncoding(
                        png ? ImageEncoding.PNG : ImageEncoding.JPEG, jpegQuality.orElse(camera.jpegQuality())));
            } catch (IllegalArgumentException e) {
                System.err.println("segstream: --input " + in + ": " + e.getMessage());
                return ExitCode.REFUSED.code();
            }
        }
        if (cameras.isEmpty()) {
            System.err.println("segstream: no inputs: give --input SOURCE or --config FILE");
            return ExitCode.REFUSED.code();
        }
        EmbeddedRun run = new EmbeddedRun(new EmbeddedRun.Settings(
                cameras,
                modelOptions.model,
                modelOptions.loader(deviceChoice),
                out,
                bootstrapServers,
                client.properties(),
                topicPrefix,
                partitions != null ? partitions : Math.max(1, Math.min(MAX_DEFAULT_PARTITIONS, cameras.size())),
                sink,
                stallTimeout,
                batch.batchSize,
                batch.batchWait,
                batch.maxAge,
                view,
                liveAhead));
        return run.call();
    }
}
