package io.segstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.app.http.HttpEndpoint;
import io.segstream.runtime.Setting;
import io.segstream.sink.SinkService;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.view.DeclaredCameras;
import io.segstream.sink.view.LiveBoard;
import io.segstream.sink.view.LiveView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segstream sink}: one sink instance on its own, against a Kafka cluster. */
@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one sink instance: joins frames and masks, publishes frame-stats and camera-stats,",
            "and writes overlay videos when --output-dir is given; serves the live view (--view-port).",
            "Runs until stopped (SIGTERM, Ctrl-C:",
            "it commits and closes its files). Run more instances with the same --application-id",
            "to spread the partitions."
        })
final class SinkCommand implements Callable<Integer>, TakesSettings {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SinkCommand.class);

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-o", "--output-dir"},
            paramLabel = "DIR")
    Optional<Path> outputDir;

    @Mixin
    SinkOptions sink;

    @Mixin
    MetricsOptions endpoint;

    @Mixin
    ViewOptions view;

    /** The live view's port unless --view-port says otherwise. */
    static final int DEFAULT_VIEW_PORT = 9403;

    @Override
    public List<Setting<?>> settings() {
        return List.of(SinkConfig.APPLICATION_ID, SinkConfig.STATE_DIR);
    }

    @Override
    public Integer call() throws Exception {
        ServiceRunner runner = new ServiceRunner("sink");
        List<String> problems = new ArrayList<>();
        SettingValues values = new SettingValues(spec, problems);
        Optional<String> applicationId = values.find(SinkConfig.APPLICATION_ID);
        Path stateDir = values.get(SinkConfig.STATE_DIR);
        cluster.validate(problems);
        endpoint.validate(problems);
        sink.validate(problems);
        view.validate(problems);
        for (Path dir : outputDir.map(d -> List.of(stateDir, d)).orElse(List.of(stateDir))) {
            try {
                Files.createDirectories(dir);
                if (!Files.isWritable(dir)) {
                    // a container's bind mount owned by another user: refused now, not once per camera
                    problems.add("the directory " + dir + " is not writable by this process (user "
                            + System.getProperty("user.name") + ")");
                }
            } catch (IOException e) {
                problems.add("cannot create the directory " + dir + ": " + e);
            }
        }
        if (!problems.isEmpty()) {
            return runner.refuse(problems);
        }
        if (cluster.ensureTopics("sink") != 0) {
            return ExitCode.REFUSED.code();
        }
        SinkConfig config = sink.apply(SinkConfig.defaults(
                        cluster.bootstrapServers,
                        cluster.topics(),
                        applicationId.orElse(cluster.prefixed(SinkConfig.DEFAULT_APPLICATION_ID)),
                        stateDir,
                        outputDir))
                .withKafka(cluster.streamsKafka());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LiveBoard board = new LiveBoard();
        Optional<LiveView> liveView;
        try {
            liveView = view.start(DEFAULT_VIEW_PORT, false, board, registry, config.overlayAlpha());
        } catch (IOException e) {
            return runner.refuse(List.of("cannot serve the live view: " + e.getMessage()));
        }
        try (AutoCloseable closeView = () -> liveView.ifPresent(LiveView::close);
                SinkService service =
                        new SinkService(config, liveView.map(v -> board), liveView.map(LiveView::hostPort));
                KafkaStreamsMetrics metrics = service.metrics()) {
            liveView.ifPresent(v -> {
                v.instances(service.instances());
                v.declared(new DeclaredCameras(
                        cluster.bootstrapServers,
                        cluster.kafka(),
                        cluster.topics().cameras()));
                LOG.info("Live view on {}/", v.url());
            });
            metrics.bindTo(registry);
            return runner.serve(endpoint, registry, new Running(service, runner));
        }
    }

    /** The sink as the runner drives it: it ends when Kafka Streams stops (closed, or an error). */
    private static final class Running implements ServiceRunner.Service {

        private final SinkService service;
        private final ServiceRunner runner;
        private final CountDownLatch stopped = new CountDownLatch(1);

        Running(SinkService service, ServiceRunner runner) {
            this.service = service;
            this.runner = runner;
            service.onStateChange(state -> {
                if (state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.ERROR) {
                    stopped.countDown();
                }
            });
        }

        @Override
        public ExitCode run() throws InterruptedException {
            service.start();
            stopped.await();
            if (service.state() != KafkaStreams.State.ERROR) {
                return ExitCode.OK;
            }
            runner.print("the sink stopped with an error (see the log above)");
            return ExitCode.FAILED;
        }

        @Override
        public void stop() {
            service.close();
            stopped.countDown();
        }

        @Override
        public HttpEndpoint.Health health() {
            KafkaStreams.State state = service.state();
            boolean up = state == KafkaStreams.State.RUNNING
                    || state == KafkaStreams.State.REBALANCING
                    || state == KafkaStreams.State.CREATED;
            ObjectNode json = JSON.createObjectNode();
            json.put("status", up ? "UP" : "DOWN");
            json.put("state", state.name());
            return new HttpEndpoint.Health(up, json.toString());
        }
    }
}
