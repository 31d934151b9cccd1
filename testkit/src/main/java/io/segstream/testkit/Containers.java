package io.segstream.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The container engine the container tests need (Docker, or Podman's Docker-compatible socket named
 * by DOCKER_HOST) and the images deploy/images.sh builds. Where either is missing a test is skipped
 * with one line, or fails when {@code CI=true} or {@code SEGSTREAM_CONTAINERS_REQUIRED=true} (.ci/run
 * installs and starts Podman and builds the images first).
 */
public final class Containers {

    /** The images deploy/images.sh builds by default. */
    public static final List<String> IMAGES = List.of(
            "segstream/kafka:0.1.0", "segstream/ingest:0.1.0", "segstream/segmenter:0.1.0", "segstream/sink:0.1.0");

    private Containers() {}

    /** Whether a missing engine or image fails a test instead of skipping it. */
    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || "true".equalsIgnoreCase(System.getenv("SEGSTREAM_CONTAINERS_REQUIRED"));
    }

    /** Whether a container engine answers. */
    public static boolean reachable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The images of {@code images} the engine does not have. */
    public static List<String> missing(List<String> images) {
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            } catch (RuntimeException e) {
                missing.add(image);
            }
        }
        return missing;
    }

    /** Why a container test cannot run here (no engine, an image missing), or empty when it can. */
    public static Optional<String> problem(List<String> images) {
        if (!reachable()) {
            return Optional.of(
                    "no container engine reachable (set DOCKER_HOST, e.g. to podman system service's socket)");
        }
        List<String> missing = missing(images);
        if (!missing.isEmpty()) {
            return Optional.of("images " + missing + " are not built (deploy/images.sh builds them)");
        }
        return Optional.empty();
    }

    /** Skips (or, required, fails) the test unless an engine answers and has every image. */
    public static void require(List<String> images) {
        Optional<String> why = problem(images);
        if (why.isEmpty()) {
            return;
        }
        if (required()) {
            Assertions.fail(why.get() + "; CI requires them (.ci/run prepares both)");
        }
        Assumptions.abort(why.get());
    }

    /** The engine's command line tool: podman where installed, else docker. */
    public static String cli() {
        return Tools.onPath("podman") ? "podman" : "docker";
    }
}
