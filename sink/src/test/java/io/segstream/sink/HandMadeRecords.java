package io.segstream.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.TestTopics;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Frames, masks and model descriptions a test writes as a producer would, without ingest or a segmenter. */
final class HandMadeRecords {

    static final int W = 64;
    static final int H = 48;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;

    HandMadeRecords(KafkaBroker kafka, Topics topics) {
        // one request in flight: a first batch refused by a partition still taking its leader
        // (NOT_LEADER_OR_FOLLOWER) is retried before the next is sent, never out of sequence
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1),
                new StringSerializer(),
                new ByteArraySerializer());
        this.topics = topics;
    }

    /** A model description on masks, keyed by its model id; waits until the broker has it. */
    void describe(ModelDescription d) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(
                topics.masks(), d.model(), ModelDescriptionJson.write(d).getBytes(StandardCharsets.UTF_8));
        WireHeaders.writeModelDescription(r.headers(), d);
        producer.send(r).get();
    }

    /** A frame (a picture of its own colour) and its all-class-0 mask, made with {@code model}; waits until both are written. */
    void frameAndMask(String camera, UUID session, long seq, long captureUs, ModelDescription model) throws Exception {
        FrameMeta meta = new FrameMeta(session, seq, seq * 40_000, captureUs, W, H, ImageEncoding.PNG, -1, 25, false);
        ProducerRecord<String, byte[]> frame = new ProducerRecord<>(topics.frames(), camera, picture(seq));
        WireHeaders.writeFrame(frame.headers(), frame.key(), meta);
        producer.send(frame).get();
        ProducerRecord<String, byte[]> mask =
                new ProducerRecord<>(topics.masks(), camera, MaskCodec.encode(new LabelMap(W, H, new byte[W * H])));
        WireHeaders.writeMask(
                mask.headers(),
                mask.key(),
                new MaskMeta(meta, model.model(), 1000, MaskStatus.OK, ModelDescriptionJson.digest(model)));
        producer.send(mask).get();
    }

    /** The session's end of stream on frames and masks. */
    void end(String camera, UUID session, long frames) {
        for (String topic : List.of(topics.frames(), topics.masks())) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, camera, new byte[0]);
            WireHeaders.writeEndOfStream(r.headers(), r.key(), new EndOfStream(session, frames));
            producer.send(r);
        }
        producer.flush();
    }

    void close() {
        producer.close();
    }

    /** Sessions ended on frame-stats so far. */
    static long ended(KafkaBroker kafka, Topics topics) {
        return TestTopics.readAll(kafka, topics.frameStats()).stream()
                .filter(r -> WireHeaders.isEndOfStream(r.headers()))
                .count();
    }

    /** The per-frame records on frame-stats, as JSON. */
    static List<JsonNode> frameStats(KafkaBroker kafka, Topics topics) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestTopics.readAll(kafka, topics.frameStats())) {
            if (!WireHeaders.isEndOfStream(r.headers())) {
                out.add(JSON.readTree(r.value()));
            }
        }
        return out;
    }

    private static byte[] picture(long seq) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        var g = img.createGraphics();
        g.setColor(new Color((int) (seq * 8 % 256), 100, 200));
        g.fillRect(0, 0, W, H);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
