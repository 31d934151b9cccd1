package io.segstream.segmenter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.TestTopics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driving clip through a real worker, two cameras interleaved so that batches mix them: every
 * mask equals the model called directly on the same JPEG-decoded picture.
 */
@KafkaIntegrationTest
class ClipMasksIntegrationTest {

    @TempDir
    Path cache;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Assets.SAVED_MODEL, Assets.FROZEN_GRAPH})
    void shouldGiveEachFrameOfTheClipTheMaskOfTheModelCalledDirectly(String modelAsset, KafkaBroker kafka)
            throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        for (BufferedImage img : Clips.decode(Assets.require(Assets.DRIVING_CLIP))) {
            jpegs.add(jpeg(img, 0.9f));
        }
        Topics topics = TestTopics.create(kafka, "clip-masks", 2);
        UUID session = UUID.randomUUID();
        // one request at a time, each acknowledged before the next: a retried batch can only be a duplicate
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        kafka.bootstrapServers(),
                        "max.in.flight.requests.per.connection",
                        1,
                        "max.request.size",
                        16 << 20),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < jpegs.size(); i++) {
                String camera = i % 2 == 0 ? "even" : "odd";
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), 0, camera, jpegs.get(i));
                WireHeaders.writeFrame(
                        r.headers(),
                        r.key(),
                        new FrameMeta(session, i, i * 40_000L, 1, 1280, 720, ImageEncoding.JPEG, 38, 25, false));
                p.send(r).get();
            }
        }

        SegmenterMetrics metrics = SegmenterMetrics.inMemory();
        List<ConsumerRecord<String, byte[]>> masks;
        try (SegmentationModel model = new ModelLoader(cache, DeviceChoice.CPU).load(Assets.require(modelAsset))) {
            try (SegmenterWorker worker =
                    new SegmenterWorker(SegmenterConfig.defaults(kafka.bootstrapServers(), topics), model, metrics)) {
                Thread t = new Thread(worker, "worker");
                t.start();
                masks = TestTopics.read(kafka, topics.masks(), 38);
            }
            assertThat(masks).hasSize(38);
            try (SegmentationModel.Predictor direct = model.newPredictor()) {
                for (ConsumerRecord<String, byte[]> m : masks) {
                    MaskMeta meta = WireHeaders.readMask(m.headers());
                    int i = (int) meta.frame().sequence();
                    assertThat(meta.status()).isEqualTo(MaskStatus.OK);
                    assertThat(m.key()).isEqualTo(i % 2 == 0 ? "even" : "odd");
                    LabelMap expected = direct.segment(FrameDecoder.decode(jpegs.get(i)));
                    assertThat(MaskCodec.decode(m.value()).labels())
                            .as("mask of frame %d", i)
                            .isEqualTo(expected.labels());
                }
            }
            if (modelAsset.equals(Assets.SAVED_MODEL)) {
                assertThat(metrics.meanBatchSize()).as("frames per model call").isGreaterThan(1.5);
            } else {
                assertThat(metrics.meanBatchSize())
                        .as("a batch-1 model is served frame by frame")
                        .isEqualTo(1.0);
            }
        }
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
