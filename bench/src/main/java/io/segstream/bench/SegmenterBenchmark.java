package io.segstream.bench;

import io.segstream.broker.EmbeddedKafka;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
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
import io.segstream.testkit.Clips;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Segmenter frames per second (JPEG frames from the frames topic to acknowledged PNG masks, default
 * batching) beside DJL predicting the same model on the same decoded frames one by one in a loop,
 * without Kafka, as a ratio, at 1024x512 and 2048x1024 on the CPU. Each side is warmed up at the size
 * first (TensorFlow's first call at a new size is slow); the sides run in turn, and figures are
 * medians of the repeats.
 */
record SegmenterBenchmark(Path work, Path assets, int repeats) {

    void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "segmenter benchmark: %d cores, Java %s, SavedModel on the CPU, median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                repeats);
        List<BufferedImage> clip = Clips.decode(assets.resolve("video/udacity_vehicle_detection_test_video.mp4"));
        Inputs.Rows rows = new Inputs.Rows();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                SegmentationModel model = new ModelLoader(work.resolve("models"), DeviceChoice.CPU)
                        .load(assets.resolve("models/deeplab_edgetpu_slim_cityscapes_savedmodel"))) {
            for (int[] size : new int[][] {{1024, 512, 32}, {2048, 1024, 12}}) {
                List<byte[]> jpegs = new ArrayList<>();
                List<RgbImage> decoded = new ArrayList<>();
                for (int i = 0; i < size[2]; i++) {
                    byte[] jpeg = Inputs.jpeg(clip.get(i * clip.size() / size[2]), size[0], size[1]);
                    jpegs.add(jpeg);
                    decoded.add(FrameDecoder.decode(jpeg));
                }
                double[] fps = Inputs.alternatingFps(
                        repeats,
                        jpegs.size(),
                        () -> Inputs.modelNanos(model, decoded),
                        () -> workerNanos(kafka, model, jpegs, size[0], size[1]));
                double anchor = fps[0];
                double segmenter = fps[1];
                rows.add(
                        "%dx%-5d DJL loop %6.2f fps   segmenter %6.2f fps   ratio %.2f",
                        size[0], size[1], anchor, segmenter, segmenter / anchor);
            }
        }
        rows.summary();
    }

    /**
     * A fresh worker and topics; one frame warms it up, then the clock runs until the frames' masks
     * are acknowledged. The masks are then read back: every frame must have exactly one, and every
     * one must be {@code ok} (a frame answered {@code failed} is no throughput), or the run fails.
     */
    private static long workerNanos(
            EmbeddedKafka kafka, SegmentationModel model, List<byte[]> jpegs, int width, int height) throws Exception {
        Topics topics =
                Topics.withPrefix("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicCreator.ensure(admin, topics.specs(1, (short) 1, Duration.ofHours(1)));
        }
        SegmenterConfig config =
                SegmenterConfig.defaults(kafka.bootstrapServers(), topics).withGroup(topics.frames() + "-group");
        try (KafkaProducer<String, byte[]> camera = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MAX_RECORD_BYTES),
                        new StringSerializer(),
                        new ByteArraySerializer());
                SegmenterWorker worker = new SegmenterWorker(config, model)) {
            new Thread(worker, "bench-segmenter").start();
            UUID session = UUID.randomUUID();
            send(camera, topics, session, 0, jpegs.get(0), width, height);
            awaitMasks(worker, 1);
            for (int i = 0; i < jpegs.size(); i++) {
                send(camera, topics, session, i + 1, jpegs.get(i), width, height);
            }
            camera.flush();
            long t0 = System.nanoTime();
            awaitMasks(worker, 1 + jpegs.size());
            long nanos = System.nanoTime() - t0;
            checkMasks(kafka, topics, session, 1 + jpegs.size());
            return nanos;
        }
    }

    private static void send(
            KafkaProducer<String, byte[]> camera,
            Topics topics,
            UUID session,
            long seq,
            byte[] jpeg,
            int width,
            int height) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), "cam-" + seq % 4, jpeg);
        WireHeaders.writeFrame(
                r.headers(),
                r.key(),
                new FrameMeta(session, seq, seq * 40_000, 0, width, height, ImageEncoding.JPEG, -1, 25, false));
        camera.send(r);
    }

    /** Fails unless the masks topic holds exactly one {@code ok} mask for each of the {@code frames} sent. */
    private static void checkMasks(EmbeddedKafka kafka, Topics topics, UUID session, int frames) {
        Map<Long, MaskStatus> masks = new HashMap<>();
        int records = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Partitions.fromBeginning(c, topics.masks());
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (records < frames && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (WireHeaders.isModelDescription(r.headers()) || WireHeaders.isEndOfStream(r.headers())) {
                        continue;
                    }
                    MaskMeta mask = WireHeaders.readMask(r.headers());
                    if (mask.frame().session().equals(session)) {
                        records++;
                        masks.put(mask.frame().sequence(), mask.status());
                    }
                }
            }
        }
        List<String> wrong = masks.entrySet().stream()
                .filter(e -> e.getValue() != MaskStatus.OK)
                .map(e -> "frame " + e.getKey() + ": " + e.getValue().wireName())
                .limit(5)
                .toList();
        if (records != frames || masks.size() != frames || !wrong.isEmpty()) {
            throw new IllegalStateException("the segmenter's outputs are wrong, no figure is reported: " + records
                    + " mask records for " + masks.size() + " distinct frames of " + frames + " sent"
                    + (wrong.isEmpty() ? "" : "; not ok: " + wrong));
        }
    }

    private static void awaitMasks(SegmenterWorker worker, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (worker.masksPublished() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the segmenter answered " + worker.masksPublished() + " of " + n + " frames");
            }
            Thread.sleep(2);
        }
    }
}
