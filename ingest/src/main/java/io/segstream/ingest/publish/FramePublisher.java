package io.segstream.ingest.publish;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes frames keyed by camera id with the wire headers: idempotent, acks=all, room for a 4K picture. */
public final class FramePublisher implements AutoCloseable {

    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Producer<String, byte[]> producer;
    private final Map<String, Integer> partitions;

    public FramePublisher(String bootstrapServers, Topics topics) {
        this(bootstrapServers, topics, Map.of(), Map.of());
    }

    /**
     * @param kafka      further producer properties (security, ...), applied after the publisher's own; others are ignored
     * @param partitions cameras pinned to a partition; the others go where their key's hash puts them
     */
    public FramePublisher(
            String bootstrapServers, Topics topics, Map<String, String> kafka, Map<String, Integer> partitions) {
        this.topic = topics.frames();
        this.partitions = Map.copyOf(partitions);
        this.producer = new KafkaProducer<>(
                properties(bootstrapServers, kafka), new StringSerializer(), new ByteArraySerializer());
    }

    /** A publisher on a producer of the caller's (the cameras' unit tests give Kafka's MockProducer). */
    public FramePublisher(Producer<String, byte[]> producer, Topics topics, Map<String, Integer> partitions) {
        this.topic = topics.frames();
        this.partitions = Map.copyOf(partitions);
        this.producer = producer;
    }

    /** The producer's properties: the publisher's own, then the user's that a producer knows. */
    static Properties properties(String bootstrapServers, Map<String, String> kafka) {
        return KafkaClientProperties.producer(bootstrapServers, OWN, kafka);
    }

    /** Sends a frame (asking for {@code scale} when given); {@code done} hears of its acknowledgement or failure, on the producer's I/O thread. */
    public Future<RecordMetadata> publish(
            String camera, FrameMeta meta, byte[] picture, Optional<Scale> scale, Callback done) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partitions.get(camera), camera, picture);
        WireHeaders.writeFrame(record.headers(), camera, meta);
        scale.ifPresent(s -> WireHeaders.writeScale(record.headers(), s));
        return producer.send(record, done);
    }

    /** Sends the end-of-stream marker of a session; {@code done} hears how it went. */
    public Future<RecordMetadata> endOfStream(String camera, EndOfStream eos, Callback done) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, partitions.get(camera), camera, new byte[0]);
        WireHeaders.writeEndOfStream(record.headers(), camera, eos);
        return producer.send(record, done);
    }

    /** The producer, for its metrics. */
    public Producer<String, byte[]> producer() {
        return producer;
    }

    /** Blocks until everything sent so far is acknowledged or has failed. */
    public void flush() {
        producer.flush();
    }

    /**
     * Closes the producer, waiting up to {@link #CLOSE_TIMEOUT} for what is still unacknowledged: a
     * broker that is gone must not hold the process forever (a recorded input has flushed already).
     */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }

    /**
     * The publisher's own producer settings. Frames are 50 KB to a few MB: a batch bigger than a frame
     * is pooled and reused instead of allocated per record.
     */
    private static final Map<String, Object> OWN = own();

    private static Map<String, Object> own() {
        Map<String, Object> own = new HashMap<>(KafkaClientProperties.PIPELINE_PRODUCER);
        own.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.MAX_RECORD_BYTES);
        own.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
        return Map.copyOf(own);
    }
}
