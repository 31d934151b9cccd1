package io.segstream.bench;

import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.Partitions;
import io.segstream.runtime.TopicCreator;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Clips;
import io.segstream.testkit.TestTopics;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end latency of a live camera (DESIGN.md: p99 capture-to-statistics at most the model's
 * own p99 + 150 ms at a sustainable rate; flat latency and memory when overloaded). The anchor is
 * the model alone: one predictor segmenting the clip's frames one by one, timed per call. Then
 * the driving clip plays as a live camera (paced in real time, looping) through ingest, the
 * in-process broker, a segmenter (default batching, frames older than 1 s skipped) and the sink,
 * first at a third of the model's rate alone (every stage shares the machine's cores), then at
 * three times it; the statistics records give the
 * latencies, the first fifth of each run (warm-up) left out.
 */
record LiveBenchmark(Path work, Path assets, int seconds) {

    private static final Pattern END_TO_END = Pattern.compile("\"endToEnd\":([0-9.]+)");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z-]+)\"");
    private static final Pattern STAGES =
            Pattern.compile("\"ingest\":([0-9.]+),\"segment\":([0-9.]+),\"inference\":([0-9.]+)");

    void run() throws Exception {
        Path clip = Inputs.prepare(work, assets, 1280, 720);
        System.out.printf(
                Locale.ROOT,
                "live benchmark: %d cores, Java %s, 720p driving clip as a live camera, %d s per run%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                seconds);
        try (SegmentationModel model = new ModelLoader(work.resolve("models"), DeviceChoice.CPU)
                        .load(assets.resolve("models/deeplab_edgetpu_slim_cityscapes_savedmodel"));
                EmbeddedKafka kafka = EmbeddedKafka.start()) {
            List<Double> alone = modelAlone(model, clip);
            double modelP99 = percentile(alone, 0.99);
            double modelFps = 1000
                    / alone.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            String anchor = String.format(
                    Locale.ROOT,
                    "model alone      p50 %7.1f ms  p99 %7.1f ms  (%.1f frames/s)",
                    percentile(alone, 0.5),
                    modelP99,
                    modelFps);
            System.out.println(anchor);
            // every stage shares this machine's cores with the model: a third of its rate alone is sustainable
            double sustainable = Math.max(0.5, Math.floor(modelFps / 3 * 2) / 2);
            Run normal = live(kafka, model, clip, sustainable);
            Run overloaded = live(kafka, model, clip, Math.min(25, Math.ceil(modelFps * 3)));
            List<String> rows = List.of(
                    anchor,
                    normal.describe()
                            + String.format(
                                    Locale.ROOT,
                                    "  p99 ≤ model p99 + 150 ms: %s (%.1f ≤ %.1f)",
                                    normal.p99() <= modelP99 + 150 ? "yes" : "NO",
                                    normal.p99(),
                                    modelP99 + 150),
                    overloaded.describe());
            System.out.println("summary:");
            rows.forEach(r -> System.out.println("  " + r));
        }
    }

    /** Milliseconds per call of one predictor on the clip's frames, one by one, after a warm-up. */
    static List<Double> modelAlone(SegmentationModel model, Path clip) throws Exception {
        List<BufferedImage> frames = Clips.decode(clip);
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            images.add(FrameDecoder.decode(Inputs.jpeg(frames.get(i * 7 % frames.size()), 1280, 720)));
        }
        List<Double> ms = new ArrayList<>();
        try (SegmentationModel.Predictor p = model.newPredictor()) {
            for (int i = 0; i < 3; i++) {
                p.segment(images.get(i));
            }
            for (RgbImage image : images) {
                long t0 = System.nanoTime();
                p.segment(image);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return ms;
    }

    private Run live(EmbeddedKafka kafka, SegmentationModel model, Path clip, double fps) throws Exception {
        Topics topics = Topics.withPrefix("live-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicCreator.ensure(admin, topics.specs(1, (short) 1, Duration.ofHours(1)));
        }
        String group = topics.frames() + ".segmenter";
        Path state = Files.createDirectories(work.resolve("sink-state-" + UUID.randomUUID()));
        Set<UUID> sessions;
        long heapThird;
        long heapEnd;
        long started = System.currentTimeMillis();
        try (SinkService sink = new SinkService(SinkConfig.defaults(
                        kafka.bootstrapServers(), topics, group + ".sink", state, Optional.empty()));
                SegmenterWorker segmenter = new SegmenterWorker(
                        SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                                .withGroup(group),
                        model)) {
            sink.start();
            Thread t = new Thread(segmenter, "segmenter");
            t.start();
            try (Ingest ingest = new Ingest(
                    IngestConfig.defaults(kafka.bootstrapServers(), topics).withSegmenterGroup(group),
                    IngestMetrics.inMemory())) {
                var result = ingest.start(
                        CameraSpec.of("live", clip.toString()).withLive(true).withTargetFps(fps));
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 3);
                heapThird = heapAfterGc();
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) * 2 / 3);
                heapEnd = heapAfterGc();
                ingest.close();
                IngestResult r = result.get(1, TimeUnit.MINUTES);
                sessions = new HashSet<>(r.sessions());
            }
            return collect(kafka, topics, sessions, fps, started + seconds * 200L, heapThird, heapEnd);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The committed statistics of the run, frames captured after {@code warmUntilMs}. */
    private static Run collect(
            EmbeddedKafka kafka,
            Topics topics,
            Set<UUID> sessions,
            double fps,
            long warmUntilMs,
            long heapThird,
            long heapEnd) {
        List<Double> latencies = new ArrayList<>();
        List<List<Double>> stages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int skipped = 0;
        int total = 0;
        int failed = 0;
        Set<UUID> ended = new HashSet<>();
        try (KafkaConsumer<String, String> c =
                TestTopics.committedConsumer(kafka.bootstrapServers(), new StringDeserializer())) {
            Partitions.fromBeginning(c, topics.frameStats());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!ended.containsAll(sessions) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (WireHeaders.isEndOfStream(r.headers())) {
                        ended.add(WireHeaders.readEndOfStream(r.headers()).session());
                        continue;
                    }
                    if (WireHeaders.readFrame(r.headers()).captureMicros() / 1000 < warmUntilMs) {
                        continue;
                    }
                    total++;
                    Matcher status = STATUS.matcher(r.value());
                    if (status.find() && !status.group(1).equals("ok")) {
                        skipped++;
                        failed += status.group(1).equals("failed") ? 1 : 0;
                        continue;
                    }
                    Matcher m = END_TO_END.matcher(r.value());
                    if (m.find()) {
                        latencies.add(Double.parseDouble(m.group(1)));
                    }
                    Matcher st = STAGES.matcher(r.value());
                    if (st.find()) {
                        for (int i = 0; i < 3; i++) {
                            stages.get(i).add(Double.parseDouble(st.group(i + 1)));
                        }
                    }
                }
            }
        }
        if (!ended.containsAll(sessions) || total == 0 || failed > 0 || latencies.isEmpty()) {
            throw new IllegalStateException("the live run's outputs are wrong, no figure is reported: "
                    + ended.size() + " of " + sessions.size() + " sessions ended, " + total + " frames, " + failed
                    + " failed, " + latencies.size() + " inferred");
        }
        return new Run(fps, latencies, stages, skipped, total, heapThird, heapEnd);
    }

    static double percentile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** @param stages per ok frame: capture to frame record, frame record to mask record, inference (ms) */
    private record Run(
            double fps,
            List<Double> latencies,
            List<List<Double>> stages,
            int skipped,
            int total,
            long heapThird,
            long heapEnd) {

        double p99() {
            return latencies.isEmpty() ? Double.NaN : percentile(latencies, 0.99);
        }

        String describe() {
            return String.format(
                            Locale.ROOT,
                            "live at %4.1f fps  p50 %7.1f ms  p99 %7.1f ms  end to end, %d frames, %d skipped "
                                    + "(%.0f %%), heap after GC %d MB at a third, %d MB at the end",
                            fps,
                            latencies.isEmpty() ? Double.NaN : percentile(latencies, 0.5),
                            p99(),
                            total,
                            skipped,
                            total == 0 ? 0 : 100.0 * skipped / total,
                            heapThird >> 20,
                            heapEnd >> 20)
                    + (latencies.isEmpty()
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "; p50 by stage: ingest %.1f, segment %.1f " + "(inference %.1f) ms",
                                    percentile(stages.get(0), 0.5),
                                    percentile(stages.get(1), 0.5),
                                    percentile(stages.get(2), 0.5)));
        }
    }
}
