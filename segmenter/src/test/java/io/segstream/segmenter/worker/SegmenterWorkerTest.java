package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Assets;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@KafkaIntegrationTest
class SegmenterWorkerTest {

    @TempDir
    Path cache;

    /**
     * Runs a segmenter over what the test sent until {@code count} masks came, checks {@code whileRunning}
     * with the worker still going on, then stops it; the masks.
     */
    private List<ConsumerRecord<String, byte[]>> segment(
            KafkaBroker kafka, Topics topics, int count, Consumer<SegmenterWorker> whileRunning) throws Exception {
        try (SegmentationModel model = new ModelLoader(cache).load(Assets.require(Assets.SAVED_MODEL));
                SegmenterWorker worker =
                        new SegmenterWorker(SegmenterConfig.defaults(kafka.bootstrapServers(), topics), model)) {
            Thread t = new Thread(worker, "worker");
            t.start();
            List<ConsumerRecord<String, byte[]>> masks = TestTopics.read(kafka, topics.masks(), count);
            assertThat(t.isAlive()).as("the worker goes on").isTrue();
            whileRunning.accept(worker);
            worker.close();
            t.join(10_000);
            assertThat(t.isAlive()).as("the worker stopped").isFalse();
            return masks;
        }
    }

    @Test
    void shouldAnswerEveryFrameWithAMaskKeepGoingPastCorruptBytesAndForwardTheEnd(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "segmenter", 1);
        UUID session = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> p = TestTopics.producer(kafka)) {
            p.send(frame(topics, session, 0, new byte[] {1, 2, 3, 4}));
            p.send(frame(topics, session, 1, jpeg(64, 32)));
            ProducerRecord<String, byte[]> eos = new ProducerRecord<>(topics.frames(), "cam", new byte[0]);
            WireHeaders.writeEndOfStream(eos.headers(), eos.key(), new EndOfStream(session, 2));
            p.send(eos).get();
        }

        List<ConsumerRecord<String, byte[]>> masks = segment(kafka, topics, 3, worker -> {});

        assertThat(masks).hasSize(3);
        MaskMeta failed = WireHeaders.readMask(masks.get(0).headers());
        assertThat(failed.status()).isEqualTo(MaskStatus.FAILED);
        assertThat(failed.frame().sequence()).isZero();
        assertThat(masks.get(0).value()).isEmpty();
        MaskMeta ok = WireHeaders.readMask(masks.get(1).headers());
        assertThat(ok.status()).isEqualTo(MaskStatus.OK);
        assertThat(ok.modelId()).isEqualTo("deeplab_edgetpu_slim_cityscapes_savedmodel");
        assertThat(ok.inferenceMicros()).isPositive();
        LabelMap labels = MaskCodec.decode(masks.get(1).value());
        assertThat(labels.width()).isEqualTo(64);
        assertThat(labels.height()).isEqualTo(32);
        assertThat(WireHeaders.readEndOfStream(masks.get(2).headers())).isEqualTo(new EndOfStream(session, 2));
    }

    @Test
    void shouldAnswerPoisonRecordsWithoutStoppingAndKeepAnsweringTheHealthyCamera(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "segmenter-poison", 1);
        UUID session = UUID.randomUUID();
        try (KafkaProducer<String, byte[]> p = TestTopics.producer(kafka)) {
            ProducerRecord<String, byte[]> shortSeq = frame(topics, session, 0, jpeg(64, 32));
            shortSeq.headers().remove(WireHeaders.SEQUENCE);
            shortSeq.headers().add(WireHeaders.SEQUENCE, new byte[4]);
            p.send(shortSeq);
            ProducerRecord<String, byte[]> negativeEnd = new ProducerRecord<>(topics.frames(), "cam", new byte[0]);
            negativeEnd.headers().add(WireHeaders.LEGACY_TYPE, "eos".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            negativeEnd.headers().add(WireHeaders.SESSION, new byte[16]);
            negativeEnd
                    .headers()
                    .add(
                            WireHeaders.FRAME_COUNT,
                            java.nio.ByteBuffer.allocate(8).putLong(-5).array());
            p.send(negativeEnd);
            p.send(new ProducerRecord<>(topics.frames(), "cam", new byte[15]));
            ProducerRecord<String, byte[]> liar = frame(topics, session, 0, jpeg(64, 32));
            liar.headers().remove(WireHeaders.WIDTH);
            liar.headers().add(WireHeaders.WIDTH, "640".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.send(liar);
            ProducerRecord<String, byte[]> badKey = frame(topics, session, 0, jpeg(64, 32));
            p.send(new ProducerRecord<>(topics.frames(), null, "..", badKey.value(), badKey.headers()));
            p.send(frame(topics, session, 1, jpeg(64, 32))).get();
        }

        List<ConsumerRecord<String, byte[]>> masks = segment(
                kafka,
                topics,
                2,
                worker -> assertThat(worker.failures().counts().keySet())
                        .as("causes")
                        .hasSize(3));

        assertThat(masks).hasSize(2);
        MaskMeta liar = WireHeaders.readMask(masks.get(0).headers());
        assertThat(liar.status())
                .as("a picture that is not the size its headers say")
                .isEqualTo(MaskStatus.FAILED);
        MaskMeta healthy = WireHeaders.readMask(masks.get(1).headers());
        assertThat(healthy.frame().sequence()).isEqualTo(1);
        assertThat(healthy.status()).isEqualTo(MaskStatus.OK);
    }

    @Test
    void shouldCloseAWorkerThatNeverRanAndNeverRunItAfterwards(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "segmenter-idle", 1);
        try (SegmentationModel model = new ModelLoader(cache).load(Assets.require(Assets.SAVED_MODEL))) {
            SegmenterWorker worker =
                    new SegmenterWorker(SegmenterConfig.defaults(kafka.bootstrapServers(), topics), model);
            long start = System.nanoTime();

            worker.close();
            worker.run();

            // the time is the behaviour: run() after close() returns instead of polling (generous for a busy machine)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(worker.masksPublished()).isZero();
        }
    }

    private static ProducerRecord<String, byte[]> frame(Topics topics, UUID session, long seq, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), "cam", value);
        WireHeaders.writeFrame(
                r.headers(),
                r.key(),
                new FrameMeta(session, seq, seq * 40_000, 0, 64, 32, ImageEncoding.JPEG, 2, 25, false));
        return r;
    }

    private static byte[] jpeg(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "jpeg", out);
        return out.toByteArray();
    }
}
