package io.segstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.app.http.HttpEndpoint;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.runtime.Setting;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterMetrics;
import io.segstream.segmenter.worker.SegmenterWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code segstream segment}: one segmenter replica on its own, against a Kafka cluster. */
@Command(
        name = "segment",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one segmenter replica.",
            "It takes its share of the frames partitions in the consumer group,",
            "publishes masks, and runs until stopped (SIGTERM, Ctrl-C: it finishes its batch and commits).",
            "Run more replicas with the same --group to spread the partitions."
        })
final class SegmentCommand implements Callable<Integer>, TakesSettings {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ModelFileOptions modelOptions;

    @Mixin
    BatchOptions batch;

    @Spec
    CommandSpec spec;

    @Mixin
    MetricsOptions endpoint;

    @Override
    public List<Setting<?>> settings() {
        return List.of(SegmenterConfig.GROUP, SegmenterConfig.CAMERAS);
    }

    @Override
    public Integer call() throws Exception {
        ServiceRunner runner = new ServiceRunner("segment");
        List<String> problems = new ArrayList<>();
        SettingValues values = new SettingValues(spec, problems);
        Optional<String> group = values.find(SegmenterConfig.GROUP);
        Optional<Pattern> cameras = values.find(SegmenterConfig.CAMERAS);
        cluster.validate(problems);
        DeviceChoice deviceChoice = modelOptions.device(problems);
        batch.validate(problems);
        endpoint.validate(problems);
        if (!problems.isEmpty()) {
            return runner.refuse(problems);
        }
        SegmentationModel loaded;
        try {
            loaded = modelOptions.load(deviceChoice);
        } catch (InvalidModelException e) {
            return runner.refuse(List.of("model refused: " + e.getMessage()));
        }
        try (SegmentationModel m = loaded) {
            if (cluster.ensureTopics("segment") != 0) {
                return ExitCode.REFUSED.code();
            }
            return serve(runner, m, cluster.topics(), group, cameras);
        }
    }

    private int serve(
            ServiceRunner runner, SegmentationModel m, Topics topics, Optional<String> group, Optional<Pattern> cameras)
            throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SegmenterMetrics metrics = new SegmenterMetrics(registry);
        SegmenterConfig base = SegmenterConfig.defaults(cluster.bootstrapServers, topics);
        SegmenterConfig config = cameras.map(base::withCameras)
                .orElse(base)
                .withGroup(group.orElse(cluster.prefixed(Groups.SEGMENTER)))
                .withBatch(batch.batchSize, batch.batchWait)
                .withMaxAge(batch.maxAge)
                .withKafka(cluster.kafka());
        try (SegmenterWorker worker = new SegmenterWorker(config, m, metrics)) {
            return runner.serve(endpoint, registry, new Running(worker, m, runner));
        }
    }

    /** The segmenter as the runner drives it: its worker on a thread of its own, until it is closed or dies. */
    private static final class Running implements ServiceRunner.Service {

        private final SegmenterWorker worker;
        private final SegmentationModel model;
        private final ServiceRunner runner;
        private final Thread thread;
        private final AtomicReference<Throwable> died = new AtomicReference<>();

        Running(SegmenterWorker worker, SegmentationModel model, ServiceRunner runner) {
            this.worker = worker;
            this.model = model;
            this.runner = runner;
            this.thread = new Thread(worker, "segmenter");
            thread.setUncaughtExceptionHandler((t, e) -> {
                died.set(e);
                LOG.error("The segmenter stopped: {}", e.getMessage(), e);
            });
        }

        @Override
        public ExitCode run() throws InterruptedException {
            thread.start();
            thread.join();
            if (died.get() == null) {
                return ExitCode.OK;
            }
            runner.print("the segmenter stopped: " + died.get().getMessage());
            return ExitCode.FAILED;
        }

        @Override
        public void stop() {
            worker.close();
        }

        @Override
        public HttpEndpoint.Health health() {
            boolean up = thread.isAlive();
            ObjectNode json = JSON.createObjectNode();
            json.put("status", up ? "UP" : "DOWN");
            json.put("model", model.id());
            json.put("device", model.device());
            json.put("masksPublished", worker.masksPublished());
            return new HttpEndpoint.Health(up, json.toString());
        }
    }
}
