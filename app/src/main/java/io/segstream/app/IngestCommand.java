package io.segstream.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.app.http.HttpEndpoint;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.CameraStatus;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.config.CameraKey;
import io.segstream.ingest.config.CamerasFile;
import io.segstream.ingest.config.ConfigException;
import io.segstream.ingest.config.MediaRoots;
import io.segstream.ingest.fleet.CameraFleet;
import io.segstream.ingest.fleet.FleetSettings;
import io.segstream.ingest.metrics.CamerasHealth;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.runtime.Setting;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segstream ingest}: the ingest service on its own, against a Kafka cluster. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Decodes cameras and recorded video and publishes their frames to Kafka.",
            "Cameras come from --config (YAML) and/or --camera ID=SOURCE. With only recorded inputs it exits when",
            "they are read (1 if one could not be); with a live camera it runs until stopped (Ctrl-C, SIGTERM).",
            "Without either it joins the fleet: it shares the cameras topic's cameras (segstream cameras add ...)",
            "with the other ingest instances of its --group, takes over those of an instance that dies, and runs",
            "until stopped."
        })
final class IngestCommand implements Callable<Integer>, TakesSettings {

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE")
    Optional<Path> config;

    @Option(names = "--camera", paramLabel = "ID=SOURCE", split = EnvironmentDefaults.SEPARATOR)
    List<String> cameras = new ArrayList<>();

    @Option(names = "--png")
    boolean png;

    @Option(names = "--segmenter-group", split = ",")
    List<String> segmenterGroup = new ArrayList<>();

    @Mixin
    MetricsOptions endpoint;

    @Spec
    CommandSpec spec;

    /** The keys of a cameras file that --camera cameras take from options of the same names. */
    private static final List<CameraKey<?>> CAMERA_KEYS =
            List.of(CameraKey.LIVE, CameraKey.FPS, CameraKey.MAX_SIZE, CameraKey.JPEG_QUALITY);

    @Override
    public List<Setting<?>> settings() {
        List<Setting<?>> settings = new ArrayList<>(List.of(
                IngestConfig.IO_TIMEOUT,
                IngestConfig.STALL_TIMEOUT,
                IngestConfig.BACKOFF_MAX,
                IngestConfig.MAX_IN_FLIGHT,
                IngestConfig.LIVE_AHEAD));
        CAMERA_KEYS.forEach(k -> settings.add(k.asSetting()));
        settings.addAll(List.of(
                FleetSettings.GROUP, FleetSettings.INSTANCE, FleetSettings.SESSION_TIMEOUT, FleetSettings.MEDIA_ROOTS));
        return settings;
    }

    @Override
    public Integer call() throws Exception {
        ServiceRunner runner = new ServiceRunner("ingest");
        List<String> problems = new ArrayList<>();
        SettingValues values = new SettingValues(spec, problems);
        Duration ioTimeout = values.get(IngestConfig.IO_TIMEOUT);
        Duration stallTimeout = values.get(IngestConfig.STALL_TIMEOUT);
        Duration backoffMax = values.get(IngestConfig.BACKOFF_MAX);
        int maxInFlight = values.get(IngestConfig.MAX_IN_FLIGHT);
        int liveAhead = values.get(IngestConfig.LIVE_AHEAD);
        List<CameraSpec> specs = cameras(values, problems);
        IngestConfig settings = null;
        cluster.validate(problems);
        CameraFleet.Settings fleet = new CameraFleet.Settings(
                values.find(FleetSettings.GROUP).orElse(cluster.prefixed(FleetSettings.DEFAULT_GROUP)),
                values.find(FleetSettings.INSTANCE).orElseGet(IngestCommand::instanceName),
                values.get(FleetSettings.SESSION_TIMEOUT),
                new MediaRoots(values.find(FleetSettings.MEDIA_ROOTS).orElse(List.of())));
        endpoint.validate(problems);
        if (problems.isEmpty()) {
            try {
                settings = IngestConfig.defaults(cluster.bootstrapServers, cluster.topics())
                        .withTimeouts(ioTimeout, stallTimeout)
                        .withBackoffMax(backoffMax)
                        .withMaxInFlight(
                                maxInFlight,
                                segmenterGroup.isEmpty() ? List.of(cluster.prefixed(Groups.SEGMENTER)) : segmenterGroup)
                        .withLiveAhead(liveAhead)
                        .withKafka(cluster.kafka());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return runner.refuse(problems);
        }
        if (cluster.ensureTopics("ingest") != 0 || (specs.isEmpty() && cluster.ensureCamerasTopic("ingest") != 0)) {
            return ExitCode.REFUSED.code();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Ingest ingest = new Ingest(settings, new IngestMetrics(registry))) {
            if (specs.isEmpty()) {
                return runner.serve(endpoint, registry, new Fleet(ingest, new CameraFleet(ingest, fleet, registry)));
            }
            return runner.serve(endpoint, registry, new Running(ingest, specs, runner));
        }
    }

    /** This process's default name in the fleet: its host name and process id. */
    static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "ingest";
        }
        String name = host.replaceAll("[^A-Za-z0-9._-]", "-") + "-"
                + ProcessHandle.current().pid();
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }

    private List<CameraSpec> cameras(SettingValues settings, List<String> problems) {
        List<CameraSpec> out = new ArrayList<>();
        if (config.isPresent()) {
            try {
                out.addAll(CamerasFile.load(config.get()));
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(config.get() + ": " + p));
            }
        }
        for (String c : cameras) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                problems.add("--camera " + c + ": expected ID=SOURCE");
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put(CameraKey.ID.name(), c.substring(0, eq));
            values.put(CameraKey.SOURCE.name(), c.substring(eq + 1));
            for (CameraKey<?> key : CAMERA_KEYS) {
                settings.text(key.asSetting()).ifPresent(v -> values.put(key.name(), v));
            }
            if (png) {
                values.put(CameraKey.ENCODING.name(), "png");
            }
            CamerasFile.bind(values, Map.of(), "--camera " + c, problems).ifPresent(out::add);
        }
        List<String> ids = out.stream().map(CameraSpec::id).toList();
        ids.stream()
                .filter(id -> ids.indexOf(id) != ids.lastIndexOf(id))
                .distinct()
                .forEach(id -> problems.add("camera id '" + id + "' is used twice"));
        return out;
    }

    /** Ingest as one instance of a fleet: it runs the cameras the group gives it until it is stopped. */
    private static final class Fleet implements ServiceRunner.Service {

        private final Ingest ingest;
        private final CameraFleet fleet;
        private final CountDownLatch stopped = new CountDownLatch(1);

        Fleet(Ingest ingest, CameraFleet fleet) {
            this.ingest = ingest;
            this.fleet = fleet;
        }

        @Override
        public ExitCode run() {
            fleet.start();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ExitCode.OK;
        }

        @Override
        public void stop() {
            // hand the cameras over before the group hears this instance leave, then end the live sessions
            fleet.close();
            ingest.close();
            stopped.countDown();
        }

        @Override
        public HttpEndpoint.Health health() {
            return IngestCommand.health(ingest.status());
        }
    }

    /** The health {@code /health} answers for these cameras. */
    static HttpEndpoint.Health health(List<CameraStatus> cameras) {
        return new HttpEndpoint.Health(CamerasHealth.healthy(cameras), CamerasHealth.json(cameras));
    }

    /**
     * Ingest as the runner drives it: with a live camera it runs until stopped; with recorded inputs
     * only it ends when they are read, FAILED when one could not be.
     */
    private static final class Running implements ServiceRunner.Service {

        private final Ingest ingest;
        private final List<CameraSpec> specs;
        private final ServiceRunner runner;
        private final CountDownLatch stopped = new CountDownLatch(1);

        Running(Ingest ingest, List<CameraSpec> specs, ServiceRunner runner) {
            this.ingest = ingest;
            this.specs = specs;
            this.runner = runner;
        }

        @Override
        public ExitCode run() {
            List<CompletableFuture<IngestResult>> results =
                    specs.stream().map(ingest::start).toList();
            try {
                if (specs.stream().anyMatch(CameraSpec::live)) {
                    stopped.await();
                    return ExitCode.OK;
                }
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                        .join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.OK;
            }
            List<IngestResult> failed = results.stream()
                    .map(CompletableFuture::join)
                    .filter(r -> !r.succeeded())
                    .toList();
            failed.forEach(
                    r -> runner.print("camera " + r.camera() + ": " + r.error().orElseThrow()));
            return failed.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        }

        @Override
        public void stop() {
            // close first: the JVM halts when the hook returns, and the cameras' last sessions must be ended
            ingest.close();
            stopped.countDown();
        }

        @Override
        public HttpEndpoint.Health health() {
            return IngestCommand.health(ingest.status());
        }
    }
}
