package io.segstream.testkit;

import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.Partitions;
import io.segstream.runtime.TopicCreator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics of one test on a shared broker: a fresh prefix, created like the services create them, and read back. */
public final class TestTopics {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TestTopics() {}

    /** A prefix no other test on the broker uses, e.g. "ingest-1a2b3c4d.". */
    public static String uniquePrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    /** The prefix {@link #create} gave the topics (what a service takes as --topic-prefix). */
    public static String prefix(Topics topics) {
        return topics.frames()
                .substring(0, topics.frames().length() - Topics.DEFAULT.frames().length());
    }

    /** Creates the pipeline's topics under a fresh prefix. */
    public static Topics create(KafkaBroker kafka, String name, int partitions) {
        Topics topics = Topics.withPrefix(uniquePrefix(name));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicCreator.ensure(admin, topics.specs(partitions, (short) 1, Duration.ofHours(1)));
        }
        return topics;
    }

    /** Every record on the topic up to its end now, in partition order. */
    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaBroker kafka, String topic) {
        return read(kafka, topic, Integer.MAX_VALUE);
    }

    /**
     * Records of the topic from its beginning until {@code count} have arrived (waiting up to a
     * minute for them) or, with no count, until the end offsets seen at the start. Model
     * descriptions on the masks topic are left out (see {@link #readDescriptions}).
     */
    public static List<ConsumerRecord<String, byte[]>> read(KafkaBroker kafka, String topic, int count) {
        return read(kafka, topic, count, false);
    }

    /** The model descriptions ({@code ss.type=model}) on the masks topic up to its end now. */
    public static List<ConsumerRecord<String, byte[]>> readDescriptions(KafkaBroker kafka, String topic) {
        return read(kafka, topic, Integer.MAX_VALUE, true);
    }

    /** A producer of records with text keys and byte values, as a test writes frames and masks. */
    public static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** A consumer of what transactions committed (read_committed), keys as text; assign it partitions. */
    public static <V> KafkaConsumer<String, V> committedConsumer(String bootstrapServers, Deserializer<V> values) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                values);
    }

    private static List<ConsumerRecord<String, byte[]>> read(
            KafkaBroker kafka, String topic, int count, boolean descriptions) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                committedConsumer(kafka.bootstrapServers(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = Partitions.fromBeginning(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline
                    && (count == Integer.MAX_VALUE
                            ? parts.stream().anyMatch(p -> c.position(p) < end.get(p))
                            : out.size() < count)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (WireHeaders.isModelDescription(r.headers()) == descriptions) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
