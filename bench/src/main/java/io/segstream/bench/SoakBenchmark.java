package io.segstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.testkit.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A soak of the embedded run (not a CI test): 6 simulated live cameras (the driving clip looped
 * to the soak's length and played in real time, 25 fps 1280x720 each) and 2 recorded inputs (the
 * clip four times over) in one {@code ./segstream run} for the given minutes, then SIGTERM. It
 * reports, minute by minute and overall, the live frames the model inferred (per second, and
 * their end-to-end latency p50/p99), the skipped and dropped ones, the resident memory and its
 * slope after warm-up, whether every recorded frame came out exactly once, the exit code and how
 * long the stop took. No anchor: it measures staying power, not speed.
 */
record SoakBenchmark(Path work, Path assets, int minutes) {

    private static final int LIVE = 6;
    private static final int RECORDED = 2;
    private static final Duration SAMPLE = Duration.ofSeconds(10);
    /** Memory samples before this are warm-up, left out of the slope. */
    private static final Duration WARM_UP = Duration.ofMinutes(2);

    private static final Pattern NOT_PUBLISHED = Pattern.compile("Camera (live-\\d+): (\\d+) frames not published");

    private static final ObjectMapper JSON = new ObjectMapper();

    void run() throws Exception {
        Path dir = work.resolve("soak");
        Files.createDirectories(dir);
        Path clip = assets.resolve("video/udacity_vehicle_detection_test_video.mp4");
        // the 1.52 s clip, its packets copied over and over: a drive as long as the soak, decoded as a camera would
        // send it
        Path looped = loop(clip, dir.resolve("live.mp4"), (int) Math.ceil(minutes * 60 / 1.52) + 20);
        Path recorded = loop(clip, dir.resolve("recorded.mp4"), 3);
        Path cameras = camerasFile(dir.resolve("cameras.yaml"), looped, recorded);
        Path out = dir.resolve("out");
        deleteTree(out);
        Path log = dir.resolve("run.log");
        System.out.printf(
                Locale.ROOT,
                "soak: %d cores, %d live cameras (25 fps 1280x720, played in real time) and %d "
                        + "recorded inputs (152 frames each) through ./segstream run for %d min, then SIGTERM; log %s%n",
                Runtime.getRuntime().availableProcessors(),
                LIVE,
                RECORDED,
                minutes,
                log);
        Process p = start(cameras, out, dir.resolve("models"), log);
        long started = System.nanoTime();
        List<long[]> rss = new ArrayList<>(); // {seconds since start, resident KB}
        List<long[]> heap = new ArrayList<>(); // {seconds since start, heap KB in use after a full GC}
        long end = started + Duration.ofMinutes(minutes).toNanos();
        while (System.nanoTime() < end && p.isAlive()) {
            Thread.sleep(SAMPLE.toMillis());
            long kb = residentKb(p);
            rss.add(new long[] {(System.nanoTime() - started) / 1_000_000_000L, kb});
            long seconds = rss.get(rss.size() - 1)[0];
            String afterGc = "";
            if (seconds % 60 < SAMPLE.toSeconds()) {
                long heapKb = heapAfterGcKb(p);
                heap.add(new long[] {seconds, heapKb});
                afterGc = ", heap after a full GC " + heapKb / 1024 + " MB";
            }
            System.out.printf(Locale.ROOT, "  %4d s: resident %d MB%s%n", seconds, kb / 1024, afterGc);
        }
        long stopAt = System.nanoTime();
        p.destroy(); // SIGTERM to the launcher, which is the JVM (exec)
        boolean stopped = p.waitFor(5, TimeUnit.MINUTES);
        double stopSeconds = (System.nanoTime() - stopAt) / 1e9;
        if (!stopped) {
            p.destroyForcibly();
        }
        report(out, log, rss, stopped ? p.exitValue() : -1, stopSeconds);
        System.out.printf(
                Locale.ROOT,
                "heap in use after a full GC (once a minute): %s; slope after warm-up %.1f MB/min%n",
                heap.stream().map(h -> h[1] / 1024 + " MB").toList(),
                slopeMbPerMinute(heap));
    }

    /** The cameras file of the soak: the live cameras playing {@code looped}, the recorded inputs {@code recorded}. */
    private static Path camerasFile(Path file, Path looped, Path recorded) throws IOException {
        StringBuilder yaml = new StringBuilder("cameras:\n");
        for (int i = 0; i < LIVE + RECORDED; i++) {
            boolean live = i < LIVE;
            yaml.append("  - id: ")
                    .append(live ? "live-" + i : "rec-" + (i - LIVE))
                    .append("\n    source: ")
                    .append((live ? looped : recorded).toAbsolutePath())
                    .append(live ? "\n    mode: live\n" : "\n");
        }
        return Files.writeString(file, yaml);
    }

    /** ./segstream run on the cameras file, its output to {@code log}. */
    private Process start(Path cameras, Path out, Path models, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Tools.words(
                        "./segstream run --config {} --model {} --out {} --model-cache {} --view-port 0",
                        cameras,
                        assets.resolve("models/deeplab_edgetpu_slim_cityscapes_savedmodel"),
                        out,
                        models))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putIfAbsent("SEGSTREAM_JAVA_OPTS", "-Xmx4g");
        return pb.start();
    }

    private void report(Path out, Path log, List<long[]> rss, int exit, double stopSeconds) throws IOException {
        List<JsonNode> live = liveStats(out);
        long firstCapture =
                live.stream().mapToLong(r -> r.get("captureUs").asLong()).min().orElse(0);
        minutes(live, firstCapture, rss);
        List<JsonNode> ok =
                live.stream().filter(r -> r.get("status").asText().equals("ok")).toList();
        Map<String, Long> statuses = new TreeMap<>();
        live.forEach(r -> statuses.merge(r.get("status").asText(), 1L, Long::sum));
        double span = live.isEmpty()
                ? 0
                : (live.stream()
                                        .mapToLong(r -> r.get("captureUs").asLong())
                                        .max()
                                        .orElse(0)
                                - firstCapture)
                        / 1e6;
        System.out.printf(
                Locale.ROOT,
                "live: %d frames through the sink over %.0f s, %s; inferred %.2f frames/s "
                        + "(%.2f per camera); e2e of inferred frames p50 / p99 %s ms%n",
                live.size(),
                span,
                statuses,
                ok.size() / Math.max(1, span),
                ok.size() / Math.max(1, span) / LIVE,
                percentiles(ok));
        System.out.printf(
                Locale.ROOT,
                "live frames not published by ingest (the segmenters behind, --live-ahead; "
                        + "frames skipped undecoded between key frames not counted): %d%n",
                notPublished(log));
        boolean wrong = false;
        for (int i = 0; i < RECORDED; i++) {
            wrong |= !recorded(out.resolve("rec-" + i));
        }
        System.out.printf(
                Locale.ROOT,
                "resident memory: %s; slope after %d min of warm-up %.1f MB/min%n",
                rss.isEmpty()
                        ? "no samples"
                        : rss.get(0)[1] / 1024 + " MB at " + rss.get(0)[0] + " s, "
                                + rss.stream().mapToLong(s -> s[1]).max().orElse(0) / 1024 + " MB at most, "
                                + rss.get(rss.size() - 1)[1] / 1024 + " MB at the end",
                WARM_UP.toMinutes(),
                slopeMbPerMinute(rss));
        System.out.printf(Locale.ROOT, "stop: exit code %d, %.1f s after SIGTERM%n", exit, stopSeconds);
        if (wrong || exit != 0) {
            throw new IllegalStateException("the soak failed: "
                    + (wrong ? "a recorded input is not every frame exactly once (above)" : "")
                    + (wrong && exit != 0 ? "; " : "")
                    + (exit != 0 ? "the run ended with exit code " + exit : ""));
        }
    }

    /** The statistics of every live frame through the sink, from the live overlay files' .jsonl. */
    private static List<JsonNode> liveStats(Path out) throws IOException {
        List<JsonNode> live = new ArrayList<>();
        for (int i = 0; i < LIVE; i++) {
            Path dir = out.resolve("live-" + i).resolve("live");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f :
                            files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                        live.addAll(lines(f));
                    }
                }
            }
        }
        return live;
    }

    /** The table of the live frames by minute of capture, with the resident memory of the minute. */
    private static void minutes(List<JsonNode> live, long firstCapture, List<long[]> rss) {
        Map<Integer, List<JsonNode>> byMinute = new TreeMap<>();
        for (JsonNode r : live) {
            byMinute.computeIfAbsent(
                            (int) ((r.get("captureUs").asLong() - firstCapture) / 60_000_000L), k -> new ArrayList<>())
                    .add(r);
        }
        System.out.println("minute | live frames through | inferred | inferred/s | cameras with an inferred frame "
                + "| e2e p50 / p99 of inferred (ms) | resident MB");
        for (Map.Entry<Integer, List<JsonNode>> m : byMinute.entrySet()) {
            List<JsonNode> ok = m.getValue().stream()
                    .filter(r -> r.get("status").asText().equals("ok"))
                    .toList();
            long cameras =
                    ok.stream().map(r -> r.get("camera").asText()).distinct().count();
            long mb = rss.stream()
                    .filter(s -> s[0] / 60 == m.getKey())
                    .mapToLong(s -> s[1] / 1024)
                    .max()
                    .orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "%6d | %19d | %8d | %10.2f | %d of %d | %s | %d%n",
                    m.getKey() + 1,
                    m.getValue().size(),
                    ok.size(),
                    ok.size() / 60.0,
                    cameras,
                    LIVE,
                    percentiles(ok),
                    mb);
        }
    }

    /** A recorded input: whether stats.jsonl holds every frame exactly once, as many as its summary counts. */
    private boolean recorded(Path dir) throws IOException {
        Path stats = dir.resolve("stats.jsonl");
        if (!Files.exists(stats)) {
            System.out.printf(Locale.ROOT, "recorded %s: no stats.jsonl (not finished)%n", dir.getFileName());
            return false;
        }
        List<JsonNode> rows = lines(stats);
        long distinct = rows.stream()
                .map(r -> r.get("session").asText() + "/" + r.get("sequence").asLong())
                .distinct()
                .count();
        long maxSeq =
                rows.stream().mapToLong(r -> r.get("sequence").asLong()).max().orElse(-1);
        JsonNode summary = Files.exists(dir.resolve("summary.json"))
                ? JSON.readTree(dir.resolve("summary.json").toFile())
                : null;
        Map<String, Long> statuses = new TreeMap<>();
        rows.forEach(r -> statuses.merge(r.get("status").asText(), 1L, Long::sum));
        System.out.printf(
                Locale.ROOT,
                "recorded %s: %d rows, %d distinct frames, sequences 0..%d, summary frames %s, %s -> %s%n",
                dir.getFileName(),
                rows.size(),
                distinct,
                maxSeq,
                summary == null
                        ? "none"
                        : summary.path("summary").path("frames").asText(),
                statuses,
                rows.size() == distinct && distinct == maxSeq + 1 ? "every frame exactly once" : "NOT exactly once");
        return rows.size() == distinct
                && distinct == maxSeq + 1
                && (summary == null || summary.path("summary").path("frames").asLong() == distinct);
    }

    private static String percentiles(List<JsonNode> rows) {
        double[] e2e = rows.stream()
                .mapToDouble(r -> r.get("latencyMs").get("endToEnd").asDouble())
                .sorted()
                .toArray();
        if (e2e.length == 0) {
            return "- / -";
        }
        return String.format(
                Locale.ROOT, "%.0f / %.0f", e2e[(int) (0.5 * (e2e.length - 1))], e2e[(int) (0.99 * (e2e.length - 1))]);
    }

    /** The least-squares slope of resident memory over time, after warm-up, in MB a minute. */
    private static double slopeMbPerMinute(List<long[]> rss) {
        List<long[]> after =
                rss.stream().filter(s -> s[0] >= WARM_UP.toSeconds()).toList();
        if (after.size() < 2) {
            return Double.NaN;
        }
        double mx = after.stream().mapToLong(s -> s[0]).average().orElse(0);
        double my = after.stream().mapToLong(s -> s[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (long[] s : after) {
            num += (s[0] - mx) * (s[1] - my);
            den += (s[0] - mx) * (s[0] - mx);
        }
        return num / den * 60 / 1024;
    }

    private static long notPublished(Path log) throws IOException {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = NOT_PUBLISHED.matcher(line);
                if (m.find()) {
                    n += Long.parseLong(m.group(2));
                }
            }
        }
        return n;
    }

    private static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

    /** The JVM's heap in use right after a full GC (jcmd GC.run, then GC.heap_info): what it really holds. */
    private static long heapAfterGcKb(Process p) throws IOException, InterruptedException {
        jcmd(p, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(p, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String jcmd(Process p, String command) throws IOException, InterruptedException {
        Process j = new ProcessBuilder("jcmd", Long.toString(p.pid()), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        j.waitFor();
        return out;
    }

    static long residentKb(Process p) throws IOException {
        // the launcher execs the JVM, so the process is the JVM
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return 0;
    }

    /** The clip's packets copied {@code times} over with Debian's ffmpeg (no re-encoding), unless already there. */
    static Path loop(Path clip, Path to, int times) throws IOException, InterruptedException {
        Path done = to.resolveSibling(to.getFileName() + "." + times + ".done");
        if (Files.exists(done) && Files.exists(to)) {
            return to;
        }
        Tools.runFfmpeg("-stream_loop {} -i {} -an -c:v copy {}", times, clip, to);
        Files.writeString(done, "");
        return to;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p :
                    all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
