package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Eventually;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The worker's batching, commits and live skipping on Kafka's MockConsumer and MockProducer, with a stand-in model. */
class SegmenterWorkerUnitTest {

    private static final Topics TOPICS = Topics.DEFAULT;
    private static final TopicPartition FRAMES_0 = new TopicPartition(TOPICS.frames(), 0);
    /** Live frames older than this are skipped: long enough that a fresh frame stays fresh on a busy machine. */
    private static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final FakeModel model = new FakeModel();
    private final UUID session = UUID.randomUUID();

    private SegmenterWorker worker(MockProducer<String, byte[]> producer, int batchSize) {
        return worker(producer, batchSize, MAX_AGE);
    }

    private SegmenterWorker worker(MockProducer<String, byte[]> producer, int batchSize, Duration maxAge) {
        SegmenterConfig config = SegmenterConfig.defaults("unused:9092", TOPICS)
                .withBatch(batchSize, Duration.ofMillis(200))
                .withMaxAge(maxAge);
        return new SegmenterWorker(config, model, SegmenterMetrics.inMemory(), consumer, producer);
    }

    private static MockProducer<String, byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    /** Assigns partition 0 and hands it the records, at the worker's first poll (after it subscribed). */
    private void deliver(List<ConsumerRecord<String, byte[]>> records) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(FRAMES_0));
            consumer.updateBeginningOffsets(Map.of(FRAMES_0, 0L));
            records.forEach(consumer::addRecord);
        });
    }

    /** Assigns the partitions and hands them the records, at the worker's first poll. */
    private void deliver(List<TopicPartition> partitions, List<ConsumerRecord<String, byte[]>> records) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(partitions);
            consumer.updateBeginningOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> 0L)));
            records.forEach(consumer::addRecord);
        });
    }

    private ConsumerRecord<String, byte[]> frame(String camera, long offset, long seq, boolean live, long captureMicros)
            throws Exception {
        return frame(camera, 0, offset, seq, live, captureMicros);
    }

    private ConsumerRecord<String, byte[]> frame(
            String camera, int partition, long offset, long seq, boolean live, long captureMicros) throws Exception {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>(TOPICS.frames(), partition, offset, camera, jpeg());
        WireHeaders.writeFrame(
                r.headers(),
                r.key(),
                new FrameMeta(session, seq, seq * 40_000, captureMicros, 8, 8, ImageEncoding.JPEG, -1, 25, live));
        return r;
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        img.createGraphics().setColor(Color.RED);
        img.createGraphics().fillRect(0, 0, 4, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private static long now() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Eventually.await(what, Duration.ofSeconds(30), done::getAsBoolean);
    }

    private static List<ProducerRecord<String, byte[]>> masks(MockProducer<String, byte[]> p) {
        return p.history().stream()
                .filter(r -> r.topic().equals(TOPICS.masks()) && !WireHeaders.isModelDescription(r.headers()))
                .toList();
    }

    @Test
    void shouldBatchTheFramesOfSeveralCamerasIntoOneModelCallAndAnswerEachInOrder() throws Exception {
        deliver(List.of(
                frame("cam-a", 0, 0, false, now()),
                frame("cam-b", 1, 0, false, now()),
                frame("cam-a", 2, 1, false, now()),
                frame("cam-b", 3, 1, false, now())));
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 4);
        Thread t = new Thread(worker, "worker");
        t.start();

        await("four masks", () -> masks(producer).size() == 4);
        await("the commit", () -> !consumer.committed(Set.of(FRAMES_0)).isEmpty());
        long committed = consumer.committed(Set.of(FRAMES_0)).get(FRAMES_0).offset();
        worker.close();
        t.join(5000);

        assertThat(model.batches).containsExactly(4);
        assertThat(masks(producer)).extracting(ProducerRecord::key).containsExactly("cam-a", "cam-b", "cam-a", "cam-b");
        MaskMeta first = WireHeaders.readMask(masks(producer).get(0).headers());
        assertThat(first.status()).isEqualTo(MaskStatus.OK);
        assertThat(WireHeaders.readBatchSize(masks(producer).get(0).headers())).isEqualTo(4);
        assertThat(MaskCodec.decode(masks(producer).get(0).value()).at(0, 0))
                .as("red: class 1")
                .isEqualTo(1);
        assertThat(producer.history())
                .as("the model's description precedes its first mask on the partition")
                .first()
                .satisfies(r -> assertThat(WireHeaders.isModelDescription(r.headers())
                                || r.topic().equals(TOPICS.models()))
                        .isTrue());
        assertThat(committed).isEqualTo(4);
    }

    @Test
    void shouldCommitOnlyOnceItsMasksAreAcknowledged() throws Exception {
        deliver(List.of(frame("cam", 0, 0, false, now()), frame("cam", 1, 1, false, now())));
        MockProducer<String, byte[]> producer = producer(false);
        SegmenterWorker worker = worker(producer, 2);
        Thread t = new Thread(worker, "worker");
        t.start();

        await(
                "the model's description on the models topic",
                () -> !producer.history().isEmpty());
        producer.completeNext();
        await("two masks sent", () -> masks(producer).size() == 2);
        await(
                "the worker waiting for the acknowledgements",
                () -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
        assertThat(consumer.committed(Set.of(FRAMES_0)))
                .as("nothing committed before the acknowledgements")
                .isEmpty();

        while (producer.completeNext()) {
            // acknowledge the in-band description and both masks
        }
        await("the commit", () -> !consumer.committed(Set.of(FRAMES_0)).isEmpty());
        long committed = consumer.committed(Set.of(FRAMES_0)).get(FRAMES_0).offset();
        worker.close();
        t.join(5000);

        assertThat(committed).isEqualTo(2);
        assertThat(worker.masksPublished()).isEqualTo(2);
    }

    @Test
    void shouldSkipALiveFrameTooOldForTheModelWithoutRunningIt() throws Exception {
        long tooOld = now() - 2 * MAX_AGE.toNanos() / 1000;
        deliver(List.of(frame("live-cam", 0, 0, true, tooOld), frame("live-cam", 1, 1, true, now())));
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 4);
        Thread t = new Thread(worker, "worker");
        t.start();

        await("two masks", () -> masks(producer).size() == 2);
        worker.close();
        t.join(5000);

        assertThat(masks(producer))
                .extracting(r -> WireHeaders.readMask(r.headers()).status())
                .containsExactly(MaskStatus.SKIPPED_STALE, MaskStatus.OK);
        assertThat(model.batches).as("the stale frame never reached the model").containsExactly(1);
    }

    @Test
    void shouldServeEveryLiveCamerasNewestFrameFirstAndSkipItsStaleBacklogWithoutInferringIt() throws Exception {
        // given three live cameras, ten frames each (older by 10 ms a sequence), and a model that
        // can do 20 of the 30 within the maximum age of 1 s
        model.millisPerFrame = 50;
        long newest = now();
        List<ConsumerRecord<String, byte[]>> frames = new ArrayList<>();
        List<TopicPartition> partitions =
                List.of(FRAMES_0, new TopicPartition(TOPICS.frames(), 1), new TopicPartition(TOPICS.frames(), 2));
        for (int seq = 0; seq < 10; seq++) {
            for (int cam = 0; cam < 3; cam++) {
                frames.add(frame("live-" + cam, cam, seq, seq, true, newest - (9 - seq) * 10_000L));
            }
        }
        deliver(partitions, frames);
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 2, Duration.ofSeconds(1));
        Thread t = new Thread(worker, "worker");

        // when
        t.start();
        await("thirty masks", () -> masks(producer).size() == 30);
        worker.close();
        t.join(5000);

        // then every camera's newest frame was inferred, most of its backlog skipped, and its masks are in order
        int inferred = model.batches.stream().mapToInt(Integer::intValue).sum();
        assertThat(inferred)
                .as("frames the model ran: no more than fit in the maximum age")
                .isLessThanOrEqualTo(20);
        for (int cam = 0; cam < 3; cam++) {
            String id = "live-" + cam;
            List<ProducerRecord<String, byte[]>> mine =
                    masks(producer).stream().filter(r -> r.key().equals(id)).toList();
            assertThat(mine)
                    .extracting(r -> WireHeaders.readMask(r.headers()).frame().sequence())
                    .containsExactlyElementsOf(
                            IntStream.range(0, 10).mapToObj(i -> (long) i).toList());
            List<MaskStatus> statuses = mine.stream()
                    .map(r -> WireHeaders.readMask(r.headers()).status())
                    .toList();
            assertThat(statuses.get(9)).as(id + "'s newest frame").isEqualTo(MaskStatus.OK);
        }
        assertThat(masks(producer))
                .filteredOn(r -> WireHeaders.readMask(r.headers()).status() == MaskStatus.SKIPPED_STALE)
                .as("the backlog skipped without the model")
                .hasSize(30 - inferred);
    }

    @Test
    void shouldInferEveryLiveFrameWhenTheModelKeepsUp() throws Exception {
        List<ConsumerRecord<String, byte[]>> frames = new ArrayList<>();
        for (int seq = 0; seq < 4; seq++) {
            for (int cam = 0; cam < 3; cam++) {
                frames.add(frame("live-" + cam, frames.size(), seq, true, now()));
            }
        }
        deliver(frames);
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 4);
        Thread t = new Thread(worker, "worker");
        t.start();

        await("twelve masks", () -> masks(producer).size() == 12);
        worker.close();
        t.join(5000);

        assertThat(masks(producer))
                .extracting(r -> WireHeaders.readMask(r.headers()).status())
                .containsOnly(MaskStatus.OK);
        assertThat(masks(producer))
                .as("answered in the order the frames came")
                .extracting(ProducerRecord::key)
                .containsExactlyElementsOf(
                        frames.stream().map(ConsumerRecord::key).toList());
    }

    @Test
    void shouldLeaveRecordedFramesOverOneBatchForLaterRoundsSoThatLiveFramesDoNotWaitBehindThem() throws Exception {
        // given ten recorded frames on partition 0 and two live frames on partition 1, polled together
        model.millisPerFrame = 20;
        TopicPartition frames1 = new TopicPartition(TOPICS.frames(), 1);
        List<ConsumerRecord<String, byte[]>> frames = new ArrayList<>();
        for (int seq = 0; seq < 10; seq++) {
            frames.add(frame("rec", 0, seq, seq, false, now()));
        }
        frames.add(frame("live", 1, 0, 0, true, now()));
        frames.add(frame("live", 1, 1, 1, true, now()));
        deliver(List.of(FRAMES_0, frames1), frames);
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 2);
        Thread t = new Thread(worker, "worker");

        // when
        t.start();
        await("twelve masks", () -> masks(producer).size() == 12);
        await(
                "the commits",
                () -> consumer.committed(Set.of(FRAMES_0)).containsKey(FRAMES_0)
                        && consumer.committed(Set.of(FRAMES_0)).get(FRAMES_0).offset() == 10);
        long committedLive = consumer.committed(Set.of(frames1)).get(frames1).offset();
        Set<TopicPartition> paused = consumer.paused();
        worker.close();
        t.join(5000);

        // then the live frames were answered in the first round, the recorded ones two at a time, all once and in order
        List<String> keys = masks(producer).stream().map(ProducerRecord::key).toList();
        assertThat(keys.lastIndexOf("live"))
                .as("the live frames' masks come before most recorded ones")
                .isLessThan(4);
        assertThat(masks(producer).stream()
                        .filter(r -> r.key().equals("rec"))
                        .map(r -> WireHeaders.readMask(r.headers()).frame().sequence())
                        .toList())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(masks(producer))
                .extracting(r -> WireHeaders.readMask(r.headers()).status())
                .containsOnly(MaskStatus.OK);
        assertThat(committedLive).isEqualTo(2);
        assertThat(paused).as("nothing left waiting").isEmpty();
    }

    @Test
    void shouldAnswerAStaleBacklogWithoutDecodingOrInferringItAndServeTheFreshFrameAfterIt() throws Exception {
        // given a live camera's backlog of 300 frames a minute old, then one fresh frame
        long old = now() - 60_000_000L;
        List<ConsumerRecord<String, byte[]>> frames = new ArrayList<>();
        for (int seq = 0; seq < 300; seq++) {
            frames.add(frame("live", seq, seq, true, old));
        }
        frames.add(frame("live", 300, 300, true, now()));
        deliver(frames);
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 4, Duration.ofSeconds(1));
        Thread t = new Thread(worker, "worker");

        // when
        t.start();
        await("301 masks", () -> masks(producer).size() == 301);
        worker.close();
        t.join(5000);

        // then
        assertThat(model.batches).as("the model ran the fresh frame alone").containsExactly(1);
        assertThat(masks(producer).subList(0, 300))
                .extracting(r -> WireHeaders.readMask(r.headers()).status())
                .containsOnly(MaskStatus.SKIPPED_STALE);
        assertThat(WireHeaders.readMask(masks(producer).get(300).headers()).status())
                .isEqualTo(MaskStatus.OK);
    }

    @Test
    void shouldAnswerLiveFramesWithHostileCaptureTimesAndKeepServingTheOtherCamera() throws Exception {
        // given live frames whose capture times are the extremes a foreign producer can write
        List<ConsumerRecord<String, byte[]>> frames = List.of(
                frame("far-past", 0, 0, true, Long.MIN_VALUE),
                frame("far-future", 1, 0, true, Long.MAX_VALUE),
                frame("far-future", 2, 1, true, Long.MAX_VALUE),
                frame("live", 3, 0, true, now()));
        deliver(frames);
        MockProducer<String, byte[]> producer = producer(true);
        SegmenterWorker worker = worker(producer, 4, Duration.ofSeconds(1));
        Thread t = new Thread(worker, "worker");

        // when
        t.start();
        await("four masks", () -> masks(producer).size() == 4);
        worker.close();
        t.join(5000);

        // then every frame is answered once, in order, the one from the far past as stale
        assertThat(masks(producer))
                .extracting(ProducerRecord::key)
                .containsExactly("far-past", "far-future", "far-future", "live");
        assertThat(WireHeaders.readMask(masks(producer).get(0).headers()).status())
                .isEqualTo(MaskStatus.SKIPPED_STALE);
        assertThat(WireHeaders.readMask(masks(producer).get(3).headers()).status())
                .isEqualTo(MaskStatus.OK);
    }
}
