package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.testkit.Assets;
import io.segstream.testkit.Containers;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The built images driven by Testcontainers, as a user's own stack would run them: the broker,
 * ingest, a segmenter and the sink on one network the test creates, the clip and the models mounted
 * read-only, the outputs on a mounted directory. Every frame comes out once; the images run as
 * their unprivileged user, pass their own health checks, and refuse bad configuration with one line.
 */
@IntegrationTest
class ContainerPipelineIT {

    private static final int LOOPS = 2;
    private static final int FRAMES = 38 * LOOPS;

    @TempDir
    Path work;

    @Test
    @SuppressWarnings("resource") // each container is closed by the try
    void shouldCarryEveryFrameThroughTheImagesOnOneNetwork() throws Exception {
        Containers.require(Containers.IMAGES);
        Path videos = Files.createDirectories(work.resolve("videos"));
        ServiceProcesses.loopedClip(videos, LOOPS);
        Path cameras = Files.writeString(work.resolve("cameras.yaml"), """
                defaults:
                  max-size: 480x270
                cameras:
                  - id: drive
                    source: /videos/drive.mp4
                """);
        Path out = Files.createDirectories(work.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path testClasses = Path.of(FrameStatsDump.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        String models = Assets.require(Assets.SAVED_MODEL).getParent().toString();
        try (Network network = Network.newNetwork();
                GenericContainer<?> kafka = image("kafka")
                        .withNetwork(network)
                        .withNetworkAliases("kafka")
                        .withCommand("--advertised=kafka:9092")
                        .withFileSystemBind(testClasses.toString(), "/tests", BindMode.READ_ONLY)
                        .waitingFor(Wait.forLogMessage(".*segstream kafka: ready at.*\\n", 1)
                                .withStartupTimeout(Duration.ofMinutes(2)));
                GenericContainer<?> segmenter = image("segmenter")
                        .withNetwork(network)
                        .withEnv("SEGSTREAM_BOOTSTRAP_SERVERS", "kafka:9092")
                        .withEnv("SEGSTREAM_MODEL", "/models/deeplab_edgetpu_slim_cityscapes_savedmodel")
                        .withEnv("SEGSTREAM_MODEL_CACHE", "/home/segstream/model-cache")
                        .withEnv("SEGSTREAM_PARTITIONS", "2")
                        .withFileSystemBind(models, "/models", BindMode.READ_ONLY)
                        .waitingFor(Wait.forLogMessage(".*Partitions assigned.*\\n", 1)
                                .withStartupTimeout(Duration.ofMinutes(3)));
                GenericContainer<?> sink = image("sink")
                        .withNetwork(network)
                        .withEnv("SEGSTREAM_BOOTSTRAP_SERVERS", "kafka:9092")
                        .withEnv("SEGSTREAM_OUTPUT_DIR", "/out")
                        .withEnv("SEGSTREAM_PARTITIONS", "2")
                        .withFileSystemBind(out.toString(), "/out", BindMode.READ_WRITE)
                        .waitingFor(
                                Wait.forLogMessage(".*Metrics on .*\\n", 1).withStartupTimeout(Duration.ofMinutes(2)));
                GenericContainer<?> ingest = image("ingest")
                        .withNetwork(network)
                        .withEnv("SEGSTREAM_BOOTSTRAP_SERVERS", "kafka:9092")
                        .withEnv("SEGSTREAM_CONFIG", "/etc/segstream/cameras.yaml")
                        .withEnv("SEGSTREAM_PARTITIONS", "2")
                        .withFileSystemBind(cameras.toString(), "/etc/segstream/cameras.yaml", BindMode.READ_ONLY)
                        .withFileSystemBind(videos.toString(), "/videos", BindMode.READ_ONLY)
                        .withStartupCheckStrategy(
                                new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(5)))) {
            kafka.start();
            segmenter.start();
            sink.start();
            ingest.start(); // returns once ingest has exited 0: the clip is published
            Eventually.await(
                    "the overlay finished",
                    Duration.ofMinutes(4),
                    Duration.ofSeconds(1),
                    () -> sink.getLogs().contains("Camera drive: overlay finished"),
                    () -> "sink:\n" + sink.getLogs() + "\nsegmenter:\n" + segmenter.getLogs());

            ExecResult dump = kafka.execInContainer(
                    "java",
                    "-cp",
                    "/opt/segstream/*:/tests",
                    FrameStatsDump.class.getName(),
                    "kafka:9092",
                    "frame-stats",
                    "120",
                    "drive");
            assertThat(dump.getExitCode())
                    .as("frame-stats ended: %s", dump.getStderr())
                    .isZero();
            assertThat(FrameStatsDump.sequences(dump.getStdout(), "drive"))
                    .as("frame-stats, read committed")
                    .containsExactlyElementsOf(
                            LongStream.range(0, FRAMES).boxed().toList());
            RunOutputs.assertFilesHoldEveryFrameOnce(out, "drive", FRAMES);

            for (GenericContainer<?> c : List.of(segmenter, sink)) {
                ExecResult health = c.execInContainer("segstream-healthcheck");
                assertThat(health.getExitCode())
                        .as("%s's health check: %s", c.getDockerImageName(), health.getStdout())
                        .isZero();
            }
            assertThat(kafka.execInContainer("segstream-healthcheck", "--tcp", "9092")
                            .getExitCode())
                    .as("the broker's health check")
                    .isZero();
            ExecResult refused = sink.execInContainer("segstream-healthcheck", "--tcp", "1");
            assertThat(refused.getExitCode())
                    .as("a health check of a closed port")
                    .isEqualTo(1);
            assertThat(refused.getStdout().strip()).isEqualTo("nothing listens on port 1");
        }
    }

    @Test
    void shouldRunAsAnUnprivilegedUserAndRefuseBadConfigurationInOneLine() throws Exception {
        Containers.require(Containers.IMAGES);
        for (String image : Containers.IMAGES) {
            String id =
                    ContainerCommands.engine(Duration.ofMinutes(1), "run", "--rm", "--entrypoint", "id", image, "-u");
            assertThat(lastLine(id)).as("the user %s runs as", image).isEqualTo("10001");
        }
        Path readOnly = Files.createDirectories(work.resolve("root-owned"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        ContainerCommands.Result sink = ContainerCommands.run(
                Duration.ofMinutes(1),
                List.of(
                        Containers.cli(),
                        "run",
                        "--rm",
                        "-v",
                        readOnly + ":/out",
                        "segstream/sink:0.1.0",
                        "--bootstrap-servers=kafka:9092",
                        "--output-dir=/out"));
        assertThat(sink.code()).as("the sink's exit code: %s", sink.output()).isEqualTo(2);
        assertThat(segstreamLines(sink.output()))
                .containsExactly("segstream sink: the directory /out is not writable by this process (user segstream)");
        ContainerCommands.Result kafka = ContainerCommands.run(
                Duration.ofMinutes(1), List.of(Containers.cli(), "run", "--rm", "segstream/kafka:0.1.0"));
        assertThat(kafka.code())
                .as("the broker's exit code: %s", kafka.output())
                .isEqualTo(2);
        assertThat(segstreamLines(kafka.output()))
                .containsExactly("segstream kafka: --advertised HOST:PORT is required with --address 0.0.0.0: "
                        + "clients must be told an address they can reach");
    }

    private static GenericContainer<?> image(String name) {
        return new GenericContainer<>(DockerImageName.parse("segstream/" + name + ":0.1.0"));
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }

    /** The lines segstream printed (the engine adds its own, e.g. about health-check timers). */
    private static List<String> segstreamLines(String output) {
        return output.lines().filter(l -> l.startsWith("segstream ")).toList();
    }
}
