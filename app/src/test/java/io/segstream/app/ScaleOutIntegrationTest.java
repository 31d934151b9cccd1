package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.Partitions;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterMetrics;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two segmenter replicas share a 4-partition frames topic; one dies mid-stream between publishing a
 * batch's masks and committing its frames (its commit never returns: a process frozen or killed
 * there). The group evicts it, its partitions move to the other, the frames it answered but had not
 * committed are answered again (duplicate masks on the topic), and the sink's de-duplication leaves
 * every frame of every recorded input exactly one statistics record.
 */
@KafkaIntegrationTest
class ScaleOutIntegrationTest {

    private static final int FRAMES = 24;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void shouldGiveEveryFrameExactlyOneResultWhenAReplicaDiesMidStream(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "scale-out", 4);
        String group = TestTopics.prefix(topics) + Groups.SEGMENTER;
        List<CameraSpec> cameras = new ArrayList<>();
        for (String id : List.of("cam-a", "cam-b", "cam-c", "cam-d", "cam-e", "cam-f")) {
            cameras.add(CameraSpec.of(
                    id,
                    Clips.write(work.resolve(id + ".mp4"), FRAMES, 320, 192, avcodec.AV_CODEC_ID_H264)
                            .toString()));
        }

        Map<String, List<JsonNode>> stats;
        Map<String, Long> masks;
        long firstMasks;
        try (SegmentationModel model = new ModelLoader(work.resolve("cache"), DeviceChoice.CPU)
                        .load(Assets.require(Assets.SAVED_MODEL));
                SinkService sink = new SinkService(TestSinks.config(kafka, topics, work.resolve("state")))) {
            sink.start();
            SegmenterConfig config = SegmenterConfig.defaults(kafka.bootstrapServers(), topics)
                    .withGroup(group)
                    .withBatch(2, Duration.ofMillis(20));
            // the first replica leaves the group 4 s after its last poll: the frozen commit is its death
            SegmenterConfig firstConfig = config.withKafka(Map.of("max.poll.interval.ms", "4000"));
            FreezingConsumer frozen = new FreezingConsumer(SegmenterWorker.consumerProps(firstConfig), 3);
            SegmenterWorker first = new SegmenterWorker(
                    firstConfig,
                    model,
                    SegmenterMetrics.inMemory(),
                    frozen,
                    new KafkaProducer<>(
                            SegmenterWorker.producerProps(firstConfig),
                            new StringSerializer(),
                            new ByteArraySerializer()));
            SegmenterWorker second = new SegmenterWorker(config, model);
            Thread t1 = new Thread(first, "segmenter-1");
            Thread t2 = new Thread(second, "segmenter-2");
            t1.start();
            t2.start();
            List<CompletableFuture<IngestResult>> results;
            try (Ingest ingest = new Ingest(
                    IngestConfig.defaults(kafka.bootstrapServers(), topics).withMaxInFlight(8, List.of(group)),
                    IngestMetrics.inMemory())) {
                results = cameras.stream().map(ingest::start).toList();
                Eventually.await(
                        "the first replica stuck in its fourth commit, its masks published",
                        Duration.ofMinutes(2),
                        frozen::isFrozen);
                firstMasks = first.masksPublished();
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                        .get(3, TimeUnit.MINUTES);
            }
            Set<UUID> sessions =
                    results.stream().flatMap(r -> r.join().sessions().stream()).collect(Collectors.toSet());
            stats = frameStatsUntilEnded(kafka, topics, sessions);
            frozen.thaw(); // its commit fails now (it left the group long ago), and it is closed
            first.close();
            t1.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t1.isAlive()).isFalse();
            second.close();
            masks = TestTopics.readAll(kafka, topics.masks()).stream()
                    .filter(r -> !WireHeaders.isEndOfStream(r.headers()))
                    .map(r -> WireHeaders.readMask(r.headers()).frame())
                    .collect(Collectors.groupingBy(f -> f.session() + "/" + f.sequence(), Collectors.counting()));
        }

        assertThat(stats.keySet()).containsExactlyInAnyOrder("cam-a", "cam-b", "cam-c", "cam-d", "cam-e", "cam-f");
        stats.forEach((camera, lines) -> assertThat(lines)
                .as(camera)
                .extracting(s -> s.get("sequence").asLong())
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList()));
        assertThat(masks).as("frames answered").hasSize(6 * FRAMES);
        long answeredTwice = masks.values().stream().filter(n -> n > 1).count();
        assertThat(answeredTwice)
                .as("frames the frozen replica answered (%d masks) and the other answered again", firstMasks)
                .isBetween(1L, firstMasks);
    }

    /**
     * A consumer whose commits after the first {@code commits} never return until thawed, then fail
     * as a commit after eviction does: the replica has published the masks of its batch and dies
     * before its offsets are committed.
     */
    private static final class FreezingConsumer extends KafkaConsumer<String, byte[]> {

        private final int commits;
        private final CountDownLatch thawed = new CountDownLatch(1);
        private final AtomicInteger made = new AtomicInteger();
        private volatile boolean frozen;

        FreezingConsumer(Properties props, int commits) {
            super(props, new StringDeserializer(), new ByteArrayDeserializer());
            this.commits = commits;
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (made.incrementAndGet() <= commits) {
                super.commitSync(offsets);
                return;
            }
            frozen = true;
            try {
                thawed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new CommitFailedException();
        }

        boolean isFrozen() {
            return frozen;
        }

        void thaw() {
            thawed.countDown();
        }
    }

    /** The committed frame statistics per camera, read until every session's end has come through. */
    static Map<String, List<JsonNode>> frameStatsUntilEnded(KafkaBroker kafka, Topics topics, Set<UUID> sessions)
            throws Exception {
        return frameStatsUntilEnded(kafka, topics, sessions, Map.of());
    }

    /** As above, with further client properties (security). */
    static Map<String, List<JsonNode>> frameStatsUntilEnded(
            KafkaBroker kafka, Topics topics, Set<UUID> sessions, Map<String, String> client) throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        Set<UUID> ended = new java.util.HashSet<>();
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = Partitions.fromBeginning(c, topics.frameStats());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!ended.containsAll(sessions) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (WireHeaders.isEndOfStream(r.headers())) {
                        ended.add(WireHeaders.readEndOfStream(r.headers()).session());
                    } else {
                        out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()));
                    }
                }
            }
        }
        assertThat(ended).as("sessions ended on frame-stats").containsAll(sessions);
        return out;
    }
}
