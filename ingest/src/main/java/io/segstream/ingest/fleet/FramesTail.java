package io.segstream.ingest.fleet;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a camera stands on the frames topic: its last record (a frame or its session's end of stream),
 * read back from the end of the partition its key hashes to. Bounded: it looks back at most
 * {@link #MAX_RECORDS} records of that partition, {@link #WINDOW} at a time.
 */
public final class FramesTail implements AutoCloseable {

    /** Records read back per step. */
    static final int WINDOW = 64;
    /** Records of a partition looked at, at most, per camera. */
    public static final int MAX_RECORDS = 20_000;

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The last record of a camera.
     *
     * @param session   its session
     * @param sequence  the last frame's sequence (for an end of stream, the session's frame count - 1)
     * @param ended     whether it is its session's end-of-stream marker
     * @param timestamp the record's timestamp
     */
    public record Last(UUID session, long sequence, boolean ended, Instant timestamp) {}

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;

    public FramesTail(String bootstrapServers, Map<String, String> kafka, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(
                KafkaClientProperties.consumer(
                        bootstrapServers,
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                WINDOW,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_uncommitted"),
                        kafka),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The camera's last record on the frames topic, if there is one within the bound. */
    public synchronized Optional<Last> last(String camera) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, STEP_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            return Optional.empty();
        }
        byte[] key = camera.getBytes(StandardCharsets.UTF_8);
        // the default partitioner's choice for a keyed record
        TopicPartition tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % infos.size());
        consumer.assign(List.of(tp));
        long begin = consumer.beginningOffsets(List.of(tp), STEP_TIMEOUT).get(tp);
        long end = consumer.endOffsets(List.of(tp), STEP_TIMEOUT).get(tp);
        long floor = Math.max(begin, end - MAX_RECORDS);
        while (end > floor) {
            long from = Math.max(floor, end - WINDOW);
            Optional<Last> found = lastIn(tp, from, end, key);
            if (found.isPresent()) {
                return found;
            }
            end = from;
        }
        return Optional.empty();
    }

    private Optional<Last> lastIn(TopicPartition tp, long from, long to, byte[] key) {
        consumer.seek(tp, from);
        Optional<Last> last = Optional.empty();
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (consumer.position(tp) < to && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (r.offset() >= to) {
                    break;
                }
                if (r.key() != null && Arrays.equals(r.key(), key)) {
                    Optional<Last> l = read(r);
                    if (l.isPresent()) {
                        last = l;
                    }
                }
            }
        }
        return last;
    }

    private static Optional<Last> read(ConsumerRecord<byte[], byte[]> r) {
        Instant at = Instant.ofEpochMilli(r.timestamp());
        try {
            if (WireHeaders.isEndOfStream(r.headers())) {
                EndOfStream eos = WireHeaders.readEndOfStream(r.headers());
                return Optional.of(new Last(eos.session(), eos.frameCount() - 1, true, at));
            }
            FrameMeta meta = WireHeaders.readFrame(r.headers());
            return Optional.of(new Last(meta.session(), meta.sequence(), false, at));
        } catch (MalformedRecordException | IllegalArgumentException e) {
            return Optional.empty(); // a foreign record under the camera's key: not one of ours
        }
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
