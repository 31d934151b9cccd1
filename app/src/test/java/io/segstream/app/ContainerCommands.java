package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.testkit.Assets;
import io.segstream.testkit.Containers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The container engine's and docker-compose's command lines, as the container tests run them. */
final class ContainerCommands {

    /** The repository root: docker-compose.yml and deploy/. */
    static final Path ROOT = Path.of(System.getProperty("segstream.root")).toAbsolutePath();

    private ContainerCommands() {}

    record Result(int code, String output) {}

    /** Runs a command in the repository root; its output (both streams) comes back with its code. */
    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("container-command", ".log");
        try {
            ProcessBuilder b = new ProcessBuilder(command)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // docker-compose.yml mounts the models from ${SEGSTREAM_ASSETS:-../shared/assets}
            b.environment().put("SEGSTREAM_ASSETS", Assets.root().toString());
            Process p = b.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, "timed out after " + timeout + ": " + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs the engine's tool ({@code podman} or {@code docker}) and asserts it succeeded. */
    static String engine(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Containers.cli()));
        command.addAll(List.of(args));
        Result r = run(timeout, command);
        assertThat(r.code()).as("%s: %s", command, r.output()).isZero();
        return r.output();
    }

    /**
     * Runs the health checks of every running container every few seconds, where Podman runs without
     * systemd (which would run them on timers): compose's {@code service_healthy} waits on them.
     */
    static AutoCloseable healthChecks() {
        if (!Containers.cli().equals("podman") || Files.exists(Path.of("/run/systemd/private"))) {
            return () -> {};
        }
        Thread t = new Thread(
                () -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            Result ps = run(Duration.ofSeconds(30), List.of("podman", "ps", "-q"));
                            for (String id : ps.output().strip().split("\\s+")) {
                                if (!id.isBlank()) {
                                    run(Duration.ofSeconds(30), List.of("podman", "healthcheck", "run", id));
                                }
                            }
                            Thread.sleep(3000);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IOException e) {
                        throw new IllegalStateException("podman healthcheck run failed", e);
                    }
                },
                "podman-health-checks");
        t.setDaemon(true);
        t.start();
        return t::interrupt;
    }
}
