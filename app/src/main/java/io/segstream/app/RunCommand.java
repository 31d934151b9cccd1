package io.segstream.app;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.config.CameraKey;
import io.segstream.ingest.config.CamerasFile;
import io.segstream.ingest.config.ConfigException;
import io.segstream.protocol.ImageEncoding;
import io.segstream.runtime.ClusterSettings;
import io.segstream.runtime.Setting;
import io.segstream.segmenter.model.DeviceChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
final class RunCommand implements Callable<Integer>, TakesSettings {

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

    @Spec
    CommandSpec spec;

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

    @Override
    public List<Setting<?>> settings() {
        return List.of(
                ClusterSettings.TOPIC_PREFIX,
                EmbeddedRun.PARTITIONS,
                CameraKey.JPEG_QUALITY.asSetting(),
                EmbeddedRun.LIVE_AHEAD,
                EmbeddedRun.STALL_TIMEOUT);
    }

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        SettingValues values = new SettingValues(spec, problems);
        String topicPrefix = values.find(ClusterSettings.TOPIC_PREFIX).orElse("");
        Optional<Integer> partitions = values.find(EmbeddedRun.PARTITIONS);
        Optional<Integer> jpegQuality = values.find(CameraKey.JPEG_QUALITY.asSetting());
        int liveAhead = values.get(EmbeddedRun.LIVE_AHEAD);
        Duration stallTimeout = values.get(EmbeddedRun.STALL_TIMEOUT);
        if (client.given() && bootstrapServers.isEmpty()) {
            problems.add(
                    "--kafka-property and --kafka-config need --bootstrap-servers: the in-process broker takes plain connections only");
        }
        client.validate(problems);
        sink.validate(problems);
        batch.validate(problems);
        view.validate(problems);
        DeviceChoice deviceChoice = modelOptions.device(problems);
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
                partitions.orElse(Math.max(1, Math.min(EmbeddedRun.MAX_DEFAULT_PARTITIONS, cameras.size()))),
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
