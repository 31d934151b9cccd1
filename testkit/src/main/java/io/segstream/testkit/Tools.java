package io.segstream.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's command-line tools that live-source tests start as real local servers: {@code ffmpeg}
 * and {@code rtsp-server-perl} (packages ffmpeg and rtsp-server-perl, which .ci/run installs). A
 * missing tool fails the test where {@code segstream.assets.required} is true (as in CI) and skips
 * it elsewhere, naming the package to install.
 */
public final class Tools {

    private Tools() {}

    public static Path ffmpeg() {
        return require("ffmpeg", "ffmpeg");
    }

    /**
     * Runs Debian's ffmpeg to its end, quietly (errors only, no terminal input, overwriting its output).
     *
     * @param template its arguments as words separated by spaces, each {@code {}} replaced by the next
     *     of {@code values} (so a path with spaces stays one argument)
     * @return its wall time in nanoseconds
     * @throws IOException naming the command and what it printed when it fails
     */
    public static long runFfmpeg(String template, Object... values) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(words(template, values));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + code + ": " + output.strip());
        }
        return System.nanoTime() - t0;
    }

    /** The words of {@code template} (separated by spaces), each {@code {}} replaced by the next value. */
    public static List<String> words(String template, Object... values) {
        List<String> out = new ArrayList<>();
        int next = 0;
        for (String word : template.strip().split(" +")) {
            StringBuilder b = new StringBuilder();
            int at = 0;
            for (int i = word.indexOf("{}"); i >= 0; i = word.indexOf("{}", at)) {
                if (next == values.length) {
                    throw new IllegalArgumentException("more {} than values in: " + template);
                }
                b.append(word, at, i).append(values[next++]);
                at = i + 2;
            }
            out.add(b.append(word.substring(at)).toString());
        }
        if (next != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + next + " {} in: " + template);
        }
        return out;
    }

    public static Path rtspServer() {
        return require("rtsp-server-perl", "rtsp-server-perl");
    }

    /** Debian's docker-compose (v1), to validate docker-compose.yml; no Docker engine is needed. */
    public static Path dockerCompose() {
        return require("docker-compose", "docker-compose");
    }

    /** Debian's Chromium, for tests of pages. */
    public static Path chromium() {
        return require("chromium", "chromium");
    }

    /** Debian's chromedriver, which drives {@link #chromium()}. */
    public static Path chromedriver() {
        return require("chromedriver", "chromium-driver");
    }

    /** kubectl, for {@code kubectl kustomize}; not a Debian package, but present on the CI machines. */
    public static Path kubectl() {
        return require("kubectl", "kubectl' (or get it from https://kubernetes.io/docs/tasks/tools/");
    }

    /** Debian's kcat, the generic Kafka command-line client. */
    public static Path kcat() {
        return require("kcat", "kcat");
    }

    /**
     * Debian's Python 3 ({@code /usr/bin/python3}, not one a version manager put first on the PATH)
     * with the packages python3-confluent-kafka, python3-numpy and python3-pil, for the examples of
     * consumers in other languages.
     */
    public static Path debianPython() {
        Path python = Path.of("/usr/bin/python3");
        String packages = "python3-confluent-kafka python3-numpy python3-pil";
        if (Files.isExecutable(python)) {
            try {
                Process p = new ProcessBuilder(python.toString(), "-c", "import confluent_kafka, numpy, PIL")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // reported below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return missing("/usr/bin/python3 with confluent_kafka, numpy and PIL", packages);
    }

    /** Whether {@code command} is an executable on the PATH. */
    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Path require(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return missing("the command '" + command + "'", debianPackage);
    }

    private static Path missing(String what, String debianPackage) {
        String message = what + " is missing: install it with " + "'sudo apt-get install -y " + debianPackage
                + "' (.ci/run does this in CI)";
        if (Boolean.getBoolean("segstream.assets.required")) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError(message);
    }

    /** A TCP port free on 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
