package io.segstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
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
import io.segstream.testkit.ToolProcess;
import io.segstream.testkit.Tools;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A recorded clip's frames per second through the whole pipeline as the embedded run composes it
 * (ingest, the in-process broker, a segmenter with default batching, the sink writing overlay
 * files), beside the model alone predicting the same frames at the same size one by one, as a
 * ratio. The pipeline's rate runs from its first frame statistics to its last (start-up and the
 * model's first calls excluded: a short clip warms everything up first). The anchor and the pipeline
 * run in turn (A, B, A, B, ...) after a warm-up of each, so that a busy moment does not favour one
 * side; each pair's ratio and their median are reported, with the pipeline's CPU time by thread group
 * (where the time goes). With {@code --hog} the same is measured again beside a CPU hog on one core
 * (a single-threaded FFmpeg encode), as a machine doing other work would be.
 */
record PipelineBenchmark(Path work, Path assets, int repeats, boolean hog) {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;

    void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "pipeline benchmark: %d cores, Java %s, the driving clip at %dx%d (%d frames), "
                        + "SavedModel on the CPU, median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                WIDTH,
                HEIGHT,
                Inputs.FRAMES,
                repeats);
        Path clip = Inputs.prepare(work, assets, WIDTH, HEIGHT);
        List<BufferedImage> frames = Clips.decode(clip);
        try (SegmentationModel model = new ModelLoader(work.resolve("models"), DeviceChoice.CPU)
                        .load(assets.resolve("models/deeplab_edgetpu_slim_cityscapes_savedmodel"));
                EmbeddedKafka kafka = EmbeddedKafka.start()) {
            List<RgbImage> images = new ArrayList<>();
            for (BufferedImage f : frames) {
                images.add(FrameDecoder.decode(Inputs.jpeg(f, WIDTH, HEIGHT)));
            }
            int n = images.size();
            Side quiet = measure(kafka, model, images, clip, n, "quiet");
            Side busy = hog ? busy(kafka, model, images, clip, n) : null;
            System.out.println("summary:");
            quiet.print();
            if (busy != null) {
                busy.print();
            }
        }
    }

    /** The anchor and the pipeline in turn (A, B, A, B, ...), after one warm-up each. */
    private Side measure(
            EmbeddedKafka kafka, SegmentationModel model, List<RgbImage> images, Path clip, int n, String how)
            throws Exception {
        Inputs.modelNanos(model, images);
        pipelineFps(kafka, model, clip);
        List<Double> alone = new ArrayList<>();
        List<Double> pipeline = new ArrayList<>();
        Map<String, Double> cpu = new TreeMap<>();
        for (int i = 0; i < repeats; i++) {
            alone.add(n / (Inputs.modelNanos(model, images) / 1e9));
            Map<String, Double> before =
                    OverloadBenchmark.cpuByThreadGroup(ProcessHandle.current().pid());
            double processBefore =
                    OverloadBenchmark.processCpuSeconds(ProcessHandle.current().pid());
            pipeline.add(pipelineFps(kafka, model, clip));
            Map<String, Double> after =
                    OverloadBenchmark.cpuByThreadGroup(ProcessHandle.current().pid());
            // threads that ended with the run (ingest's, the sink's) are only in the process's total
            cpu.merge(
                    "process (all threads)",
                    (OverloadBenchmark.processCpuSeconds(ProcessHandle.current().pid()) - processBefore) / repeats,
                    Double::sum);
            after.forEach((k, v) -> cpu.merge(k, (v - before.getOrDefault(k, 0.0)) / repeats, Double::sum));
            System.out.printf(
                    Locale.ROOT,
                    "%s: model alone %6.2f fps, pipeline %6.2f fps, ratio %.2f%n",
                    how,
                    alone.get(i),
                    pipeline.get(i),
                    pipeline.get(i) / alone.get(i));
        }
        cpu.values().removeIf(v -> v < 0.3);
        return new Side(how, alone, pipeline, cpu);
    }

    /** As {@link #measure}, with a CPU hog beside it: one FFmpeg encoder thread, for as long as it takes. */
    private Side busy(EmbeddedKafka kafka, SegmentationModel model, List<RgbImage> images, Path clip, int n)
            throws Exception {
        try (ToolProcess hog = ToolProcess.start(
                work.resolve("hog.log"),
                Tools.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=25",
                "-t",
                "3600",
                "-c:v",
                "libx264",
                "-preset",
                "medium",
                "-threads",
                "1",
                "-x264-params",
                "threads=1:lookahead-threads=1",
                "-f",
                "null",
                "-")) {
            return measure(kafka, model, images, clip, n, "beside a hog on one core");
        }
    }

    /** One side's runs: each pair's ratio, and the median of the pairs. */
    private record Side(String how, List<Double> alone, List<Double> pipeline, Map<String, Double> cpu) {

        void print() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < alone.size(); i++) {
                ratios.add(pipeline.get(i) / alone.get(i));
            }
            List<Double> sorted = new ArrayList<>(ratios);
            sorted.sort(Double::compare);
            System.out.printf(
                    Locale.ROOT,
                    "  %s, %dx%d: model alone %s fps, pipeline %s fps; ratios %s, median %.2f%n",
                    how,
                    WIDTH,
                    HEIGHT,
                    fmt(alone),
                    fmt(pipeline),
                    fmt(ratios),
                    sorted.get(sorted.size() / 2));
            Map<String, String> shown = new TreeMap<>();
            cpu.forEach((k, v) -> shown.put(k, String.format(Locale.ROOT, "%.1f", v)));
            System.out.printf(
                    Locale.ROOT,
                    "    CPU seconds per pipeline run: %s (java: TensorFlow's pool; threads alive after the run)%n",
                    shown);
        }

        private static String fmt(List<Double> xs) {
            return xs.stream()
                    .map(x -> String.format(Locale.ROOT, "%.2f", x))
                    .toList()
                    .toString();
        }
    }

    /** One run on fresh topics: frames per second from the first frame statistics to the last. */
    private double pipelineFps(EmbeddedKafka kafka, SegmentationModel model, Path clip) throws Exception {
        String prefix = "pipeline-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Topics topics = Topics.withPrefix(prefix);
        String group = prefix + Groups.SEGMENTER;
        try (Admin admin = Admin.create(KafkaClientProperties.admin(kafka.bootstrapServers(), Map.of(), Map.of()))) {
            TopicCreator.ensure(admin, topics.specs(1, (short) 1, Duration.ofHours(1)));
        }
        Path out = Files.createDirectories(work.resolve("pipeline-out").resolve(prefix));
        IngestResult result;
        try (SinkService sink = new SinkService(SinkConfig.defaults(
                        kafka.bootstrapServers(),
                        topics,
                        prefix + "sink",
                        Files.createDirectories(work.resolve("pipeline-state").resolve(prefix)),
                        Optional.of(out)));
                SegmenterWorker segmenter = new SegmenterWorker(
                        SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                                .withGroup(group),
                        model);
                Ingest ingest = new Ingest(
                        IngestConfig.defaults(kafka.bootstrapServers(), topics).withSegmenterGroup(group),
                        IngestMetrics.inMemory())) {
            sink.start();
            Thread t = new Thread(segmenter, "segmenter");
            t.start();
            result = ingest.start(CameraSpec.of("drive", clip.toString())).get(30, TimeUnit.MINUTES);
            return rate(kafka, topics, result.sessions().get(0), Clips.frameCount(clip));
        }
    }

    /**
     * Frames per second between the first and the last frame statistics of the session, once its end
     * has come; fails, so that no figure is printed, unless every frame of the clip has exactly one
     * statistics record and every one is {@code ok}.
     */
    private static double rate(EmbeddedKafka kafka, Topics topics, UUID session, int expected) throws Exception {
        long first = -1;
        long last = -1;
        long frames = 0;
        Map<Long, Integer> seen = new HashMap<>();
        long notOk = 0;
        try (KafkaConsumer<String, String> c =
                TestTopics.committedConsumer(kafka.bootstrapServers(), new StringDeserializer())) {
            Partitions.fromBeginning(c, topics.frameStats());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            boolean ended = false;
            while (!ended && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (WireHeaders.isEndOfStream(r.headers())) {
                        ended = ended
                                || WireHeaders.readEndOfStream(r.headers())
                                        .session()
                                        .equals(session);
                        continue;
                    }
                    first = first < 0 ? r.timestamp() : Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    frames++;
                    JsonNode stats = JSON.readTree(r.value());
                    seen.merge(stats.get("sequence").asLong(), 1, Integer::sum);
                    notOk += "ok".equals(stats.get("status").asText()) ? 0 : 1;
                }
            }
            if (!ended) {
                throw new IllegalStateException("the session's end did not come through the sink in 10 minutes");
            }
        }
        boolean once = seen.size() == expected
                && seen.values().stream().allMatch(n -> n == 1)
                && LongStream.range(0, expected).allMatch(seen::containsKey);
        if (!once || notOk > 0) {
            throw new IllegalStateException("the pipeline's outputs are wrong, no figure is reported: " + seen.size()
                    + " of " + expected + " frames have statistics, " + (frames - seen.size()) + " twice, " + notOk
                    + " not ok");
        }
        return (frames - 1) * 1000.0 / Math.max(1, last - first);
    }
}
