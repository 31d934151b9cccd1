package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.testkit.Containers;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml as a user runs it, with deploy/compose/local.yml for the two images that
 * cannot be pulled here (the broker: segstream's own; Prometheus: Debian's), and a test override
 * that only points the volumes at this test's clip, cameras file and output directory: two
 * segmenters (--scale) share the partitions, one is killed with SIGKILL mid-input, and every frame
 * of the recorded clip comes out exactly once in frame-stats (read committed), stats.jsonl and the
 * overlay; the live view and Prometheus' targets answer. A live camera (the clip played in a loop,
 * 2 frames a second) keeps ingest running beside it, as a fleet's cameras do.
 */
@IntegrationTest
class ComposeStackIT {

    private static final int LOOPS = 10;
    private static final int FRAMES = 38 * LOOPS;
    private static final String PROMETHEUS_IMAGE = "localhost/segstream-prometheus:bookworm";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSIGNED =
            Pattern.compile("(segmenter-cpu_\\d+)\\s+\\|.*Partitions assigned: \\[([^]]*)]");

    @TempDir
    Path work;

    @Test
    void shouldRunTheStackScaledToTwoSegmentersThroughOneKilledWithEveryFrameOnce() throws Exception {
        List<String> images = new ArrayList<>(Containers.IMAGES);
        images.add(PROMETHEUS_IMAGE);
        Containers.require(images);
        Path dockerCompose = Tools.dockerCompose();
        Path videos = Files.createDirectories(work.resolve("videos"));
        ServiceProcesses.loopedClip(videos, LOOPS);
        Path cameras = Files.writeString(work.resolve("cameras.yaml"), """
                defaults:
                  max-size: 480x270
                cameras:
                  - id: drive
                    source: /videos/drive.mp4
                    mode: recorded
                  - id: live
                    source: /videos/drive.mp4
                    mode: live
                    fps: 2
                """);
        Path out = Files.createDirectories(work.resolve("out"));
        // the sink runs as uid 10001: the bind-mounted output directory must be writable by it
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path testClasses = Path.of(FrameStatsDump.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path override = Files.writeString(work.resolve("test.yml"), """
                services:
                  kafka:
                    volumes:
                      - %s:/tests:ro
                  cameras:
                    volumes:
                      - %s:/etc/segstream/cameras.yaml:ro
                  ingest:
                    volumes:
                      - %s:/videos:ro
                  sink:
                    volumes:
                      - %s:/out
                """.formatted(testClasses, cameras, videos, out));
        String project = "segstream-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> compose = List.of(
                dockerCompose.toString(),
                "-p",
                project,
                "-f",
                "docker-compose.yml",
                "-f",
                "deploy/compose/local.yml",
                "-f",
                override.toString(),
                "--profile",
                "cpu");
        try (AutoCloseable health = ContainerCommands.healthChecks()) {
            long start = System.nanoTime();
            // everything but ingest first, so that both segmenters hold partitions before the first frame
            ContainerCommands.Result up = ContainerCommands.run(
                    Duration.ofMinutes(5),
                    with(
                            compose,
                            "up",
                            "-d",
                            "--scale",
                            "segmenter-cpu=2",
                            "kafka",
                            "topics",
                            "segmenter-cpu",
                            "sink",
                            "prometheus"));
            assertThat(up.code()).as("docker-compose up: %s", up.output()).isZero();
            Map<String, String> assigned = new TreeMap<>();
            Eventually.await(
                    "both segmenters assigned partitions",
                    Duration.ofMinutes(3),
                    Duration.ofSeconds(2),
                    () -> {
                        assigned.clear();
                        assigned.putAll(lastAssignments(logs(compose)));
                        return assigned.size() == 2
                                && assigned.values().stream().noneMatch(String::isBlank);
                    },
                    () -> logs(compose));
            List<String> partitions = assigned.values().stream()
                    .flatMap(a -> List.of(a.split(",\\s*")).stream())
                    .toList();
            assertThat(partitions)
                    .as("the two segmenters share the 4 frames partitions, each partition once: %s", assigned)
                    .hasSize(4)
                    .doesNotHaveDuplicates();
            long ingestAt = System.nanoTime();
            ContainerCommands.Result ingest = ContainerCommands.run(
                    Duration.ofMinutes(2),
                    with(compose, "up", "-d", "--no-recreate", "--scale", "segmenter-cpu=2", "ingest"));
            assertThat(ingest.code())
                    .as("docker-compose up ingest: %s", ingest.output())
                    .isZero();
            Eventually.await(
                    "the first statistics of the clip (the live view lists its camera)",
                    Duration.ofMinutes(3),
                    Duration.ofMillis(250),
                    () -> {
                        HttpResponse<String> r = get("http://127.0.0.1:9403/api/cameras");
                        return r != null && r.statusCode() == 200 && r.body().contains("\"drive\"");
                    },
                    () -> logs(compose));
            double firstStatistics = (System.nanoTime() - start) / 1e9;
            double firstAfterIngest = (System.nanoTime() - ingestAt) / 1e9;
            // the segmenter with the most masks out (the recorded clip's, 10 times the live camera's rate)
            // is killed once 40 masks are out
            Map<String, Integer> ports = new TreeMap<>();
            for (int i = 1; i <= 2; i++) {
                String address = ContainerCommands.run(
                                Duration.ofSeconds(30), with(compose, "port", "--index=" + i, "segmenter-cpu", "9401"))
                        .output()
                        .strip();
                ports.put("segmenter-cpu_" + i, Integer.parseInt(address.replaceAll(".*:", "")));
            }
            Map<String, Double> masks = new TreeMap<>();
            Eventually.await(
                    "40 masks out",
                    Duration.ofMinutes(3),
                    Duration.ofMillis(250),
                    () -> {
                        for (Map.Entry<String, Integer> e : ports.entrySet()) {
                            masks.put(e.getKey(), masksOut(e.getValue()));
                        }
                        return masks.values().stream().mapToDouble(d -> d).sum() >= 40;
                    },
                    () -> masks + "\n" + logs(compose));
            String victim = masks.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            String survivor = victim.endsWith("_1") ? "segmenter-cpu_2" : "segmenter-cpu_1";
            double masksBefore = masks.values().stream().mapToDouble(d -> d).sum();
            String killed = project + "_" + victim;
            ContainerCommands.engine(Duration.ofSeconds(30), "kill", "--signal", "KILL", killed);
            long killedAt = System.nanoTime();
            assertThat(masksBefore)
                    .as("the segmenter was killed mid-input (masks of both cameras so far)")
                    .isLessThan(FRAMES);

            Map<String, String> targets = awaitPrometheusTargets(compose);
            HttpResponse<String> view = get("http://127.0.0.1:9403/");
            assertThat(view).as("the live view answers").isNotNull();
            assertThat(view.statusCode()).as("the live view's page").isEqualTo(200);

            ContainerCommands.Result dump = ContainerCommands.run(
                    Duration.ofMinutes(6),
                    List.of(
                            Containers.cli(),
                            "exec",
                            project + "_kafka_1",
                            "java",
                            "-cp",
                            "/opt/segstream/*:/tests",
                            FrameStatsDump.class.getName(),
                            "kafka:9092",
                            "frame-stats",
                            "300",
                            "drive"));
            assertThat(dump.code())
                    .as("frame-stats ended for drive: %s%n%s", dump.output(), logs(compose))
                    .isZero();
            double resumed = (System.nanoTime() - killedAt) / 1e9;
            assertThat(FrameStatsDump.sequences(dump.output(), "drive"))
                    .as("frame-stats, read committed")
                    .containsExactlyElementsOf(
                            LongStream.range(0, FRAMES).boxed().toList());
            Eventually.await(
                    "the overlay finished",
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(1),
                    () -> logs(compose).contains("Camera drive: overlay finished"),
                    () -> logs(compose));
            RunOutputs.assertFilesHoldEveryFrameOnce(out, "drive", FRAMES);
            System.out.printf(
                    "compose stack: first statistics %.1f s after up (%.1f s after ingest started); partitions per "
                            + "segmenter %s; segmenter %s "
                            + "killed after %d masks (%d frames recorded), all %d frames out exactly once %.1f s later; "
                            + "Prometheus targets %s%n",
                    firstStatistics,
                    firstAfterIngest,
                    assigned,
                    killed,
                    (long) masksBefore,
                    FRAMES,
                    FRAMES,
                    resumed,
                    targets);
        } finally {
            ContainerCommands.run(Duration.ofMinutes(2), with(compose, "down", "-v", "-t", "5"));
        }
    }

    private static List<String> with(List<String> compose, String... args) {
        List<String> all = new ArrayList<>(compose);
        all.addAll(List.of(args));
        return all;
    }

    private static String logs(List<String> compose) {
        try {
            return ContainerCommands.run(Duration.ofMinutes(1), with(compose, "logs", "--no-color"))
                    .output();
        } catch (Exception e) {
            return "(no logs: " + e + ")";
        }
    }

    /** The last partitions each segmenter container logged as assigned, by container. */
    static Map<String, String> lastAssignments(String logs) {
        Map<String, String> last = new HashMap<>();
        Matcher m = ASSIGNED.matcher(logs);
        while (m.find()) {
            last.put(m.group(1), m.group(2).strip());
        }
        return last;
    }

    private static final Pattern MASKS_OK =
            Pattern.compile("(?m)^segstream_segmenter_masks_out_total\\{[^}]*status=\"ok\"[^}]*} (\\S+)$");

    /** The masks a segmenter has published (its metrics on the host port); 0 while it does not answer. */
    private static double masksOut(int port) throws Exception {
        HttpResponse<String> r = get("http://127.0.0.1:" + port + "/metrics");
        double n = 0;
        if (r != null && r.statusCode() == 200) {
            Matcher m = MASKS_OK.matcher(r.body());
            while (m.find()) {
                n += Double.parseDouble(m.group(1));
            }
        }
        return n;
    }

    /** Waits until Prometheus has scraped ingest, a segmenter and the sink; their health by job. */
    private static Map<String, String> awaitPrometheusTargets(List<String> compose) throws Exception {
        Map<String, String> up = new TreeMap<>();
        Eventually.await(
                "Prometheus scraping ingest, a segmenter and the sink",
                Duration.ofMinutes(2),
                Duration.ofSeconds(2),
                () -> {
                    HttpResponse<String> r = get("http://127.0.0.1:9090/api/v1/targets");
                    if (r == null || r.statusCode() != 200) {
                        return false;
                    }
                    up.clear();
                    for (JsonNode t : JSON.readTree(r.body()).path("data").path("activeTargets")) {
                        if (t.path("health").asText().equals("up")) {
                            up.put(
                                    t.path("scrapePool").asText(),
                                    t.path("scrapeUrl").asText());
                        }
                    }
                    return up.keySet().containsAll(Set.of("segstream-ingest", "segstream-segmenter", "segstream-sink"));
                },
                () -> "up: " + up + "\n" + logs(compose));
        return up;
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GET of {@code url}; null where nothing answered. */
    private static HttpResponse<String> get(String url) throws Exception {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }
}
