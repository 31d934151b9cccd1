package io.segstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A live fleet on a machine without a GPU: N simulated live cameras (the driving clip looped and
 * played in real time, 25 fps 1280x720) through {@code ./segstream run} for S seconds, beside its
 * anchor, the model alone predicting 1280x720 frames one by one in this process (the same model and
 * sizing), run before and after the pipeline so that a busy moment shows as a difference between
 * the two. Reported: inferred frames/s of the fleet ÷ the model alone's frames/s (target ≥ 0.8), the
 * fairness (the slowest camera's inferred rate ÷ the mean, target ≥ 0.8), end-to-end p50/p99 of
 * inferred frames, the run's CPU time by thread group (from /proc, names as the kernel keeps them),
 * and its resident memory at a third and at the end. The first fifth of the run is warm-up, left out.
 */
record OverloadBenchmark(Path work, Path assets, int cameras, int seconds) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "models/deeplab_edgetpu_slim_cityscapes_savedmodel";

    void run() throws Exception {
        Path dir = Files.createDirectories(work.resolve("overload"));
        Path clip = assets.resolve("video/udacity_vehicle_detection_test_video.mp4");
        Path looped = SoakBenchmark.loop(clip, dir.resolve("live.mp4"), (int) Math.ceil(seconds / 1.52) + 40);
        System.out.printf(
                Locale.ROOT,
                "overload: %d cores, %d live cameras (25 fps 1280x720, played in real time) through ./segstream run"
                        + " for %d s, beside the model alone (%s, 1280x720 frames one by one)%n",
                Runtime.getRuntime().availableProcessors(),
                cameras,
                seconds,
                MODEL);
        double before = anchor(dir, clip);
        Run run = pipeline(dir, looped);
        double after = anchor(dir, clip);
        double alone = (before + after) / 2;
        System.out.printf(
                Locale.ROOT,
                "model alone: %.2f frames/s before the run, %.2f after (mean %.2f)%n",
                before,
                after,
                alone);
        run.report(alone);
    }

    /** The model alone: frames per second of one predictor on 1280x720 frames, one by one (median of 40 calls). */
    private double anchor(Path dir, Path clip) throws Exception {
        try (SegmentationModel model =
                new ModelLoader(dir.resolve("models"), DeviceChoice.CPU).load(assets.resolve(MODEL))) {
            List<Double> ms = new ArrayList<>(LiveBenchmark.modelAlone(model, clip));
            ms.sort(Double::compare);
            return 1000.0 / ms.get(ms.size() / 2);
        }
    }

    private Run pipeline(Path dir, Path looped) throws Exception {
        StringBuilder yaml = new StringBuilder("cameras:\n");
        for (int i = 0; i < cameras; i++) {
            yaml.append("  - id: live-")
                    .append(i)
                    .append("\n    source: ")
                    .append(looped.toAbsolutePath())
                    .append("\n    mode: live\n");
        }
        Path camerasFile = Files.writeString(dir.resolve("cameras.yaml"), yaml);
        Path out = dir.resolve("out");
        SoakBenchmark.deleteTree(out);
        Path log = dir.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder(Tools.words(
                        "./segstream run --config {} --model {} --out {} --model-cache {} --view-port 0",
                        camerasFile,
                        assets.resolve(MODEL),
                        out,
                        dir.resolve("models")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putIfAbsent("SEGSTREAM_JAVA_OPTS", "-Xmx4g");
        Process p = pb.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 3);
        long rssThird = SoakBenchmark.residentKb(p);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) * 2 / 3);
        long rssEnd = SoakBenchmark.residentKb(p);
        Map<String, Double> cpu = cpuByThreadGroup(p.pid());
        cpu.values().removeIf(v -> v < 0.5);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Run(stats(out), cpu, rssThird, rssEnd, p.exitValue(), seconds);
    }

    private record Run(
            Map<String, List<JsonNode>> byCamera,
            Map<String, Double> cpu,
            long rssThirdKb,
            long rssEndKb,
            int exit,
            int seconds) {

        void report(double alone) {
            long first = byCamera.values().stream()
                    .flatMap(List::stream)
                    .mapToLong(r -> r.get("captureUs").asLong())
                    .min()
                    .orElse(0);
            long warm = first + seconds * 1_000_000L / 5;
            double window = seconds * 0.8;
            Map<String, Double> rates = new TreeMap<>();
            List<Double> e2e = new ArrayList<>();
            long through = 0;
            for (Map.Entry<String, List<JsonNode>> c : byCamera.entrySet()) {
                List<JsonNode> ok = c.getValue().stream()
                        .filter(r -> r.get("captureUs").asLong() >= warm)
                        .filter(r -> r.get("status").asText().equals("ok"))
                        .toList();
                through += c.getValue().size();
                rates.put(c.getKey(), ok.size() / window);
                ok.forEach(r -> e2e.add(r.get("latencyMs").get("endToEnd").asDouble()));
            }
            double total =
                    rates.values().stream().mapToDouble(Double::doubleValue).sum();
            double mean = rates.isEmpty() ? 0 : total / rates.size();
            double slowest = rates.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .min()
                    .orElse(0);
            e2e.sort(Double::compare);
            System.out.printf(Locale.ROOT, "cameras' inferred frames/s after warm-up: %s%n", format(rates));
            System.out.printf(
                    Locale.ROOT,
                    "fleet: %.2f inferred frames/s (%d live frames through the sink in all); ratio to the model alone"
                            + " %.2f (target >= 0.8)%n",
                    total,
                    through,
                    total / alone);
            System.out.printf(
                    Locale.ROOT,
                    "fairness: slowest camera %.2f / mean %.2f = %.2f (target >= 0.8)%n",
                    slowest,
                    mean,
                    mean == 0 ? 0 : slowest / mean);
            System.out.printf(
                    Locale.ROOT,
                    "end to end of inferred frames: p50 %.0f ms, p99 %.0f ms (%d frames)%n",
                    pct(e2e, 0.5),
                    pct(e2e, 0.99),
                    e2e.size());
            System.out.printf(Locale.ROOT, "CPU seconds by thread group over the run: %s%n", format(cpu));
            System.out.printf(
                    Locale.ROOT,
                    "resident memory: %d MB at a third, %d MB at the end; exit code %d%n",
                    rssThirdKb / 1024,
                    rssEndKb / 1024,
                    exit);
        }
    }

    private static String format(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        m.entrySet().stream()
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> b.append(b.isEmpty() ? "" : ", ")
                        .append(e.getKey())
                        .append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", e.getValue())));
        return b.toString();
    }

    private static double pct(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) (q * (sorted.size() - 1)));
    }

    /** Each live camera's statistics lines from its rolling files. */
    private Map<String, List<JsonNode>> stats(Path out) throws IOException {
        Map<String, List<JsonNode>> by = new TreeMap<>();
        for (int i = 0; i < cameras; i++) {
            List<JsonNode> rows = new ArrayList<>();
            Path dir = out.resolve("live-" + i).resolve("live");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f :
                            files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            if (!line.isBlank()) {
                                rows.add(JSON.readTree(line));
                            }
                        }
                    }
                }
            }
            by.put("live-" + i, rows);
        }
        return by;
    }

    /**
     * CPU seconds of the process's threads so far, grouped by name (as /proc keeps it: 15 characters,
     * digits dropped): ingest's readers and senders, the segmenter, TensorFlow's pools, the sink's
     * stream threads.
     */
    static Map<String, Double> cpuByThreadGroup(long pid) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        double tick = 100.0; // USER_HZ on Linux
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double s = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / tick;
                    out.merge(group(name), s, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** User and system CPU seconds of the whole process so far. */
    static double processCpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    static String group(String thread) {
        String n = thread.replaceAll("[0-9]+", "#");
        if (n.startsWith("ingest-live-#-")) {
            return "ingest " + n.substring("ingest-live-#-".length());
        }
        return n;
    }
}
