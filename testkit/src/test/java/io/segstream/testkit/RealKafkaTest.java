package io.segstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.junit.jupiter.api.Test;

@KafkaIntegrationTest
class RealKafkaTest {

    @Test
    void shouldCarryALargeRecordThroughTheInProcessBroker(@Backend("embedded") KafkaBroker kafka) throws Exception {
        assertThat(kafka.backend()).isEqualTo("embedded");
        roundTripALargeRecord(kafka);
    }

    @Test
    void shouldCarryALargeRecordThroughTheTestcontainersBroker(@Backend("testcontainers") KafkaBroker kafka)
            throws Exception {
        assertThat(kafka.backend()).isEqualTo("testcontainers");
        roundTripALargeRecord(kafka);
    }

    private static void roundTripALargeRecord(KafkaBroker kafka) throws Exception {
        String topic = "roundtrip-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)))))
                    .all()
                    .get();
        }
        byte[] picture = new byte[6 * 1024 * 1024];
        picture[picture.length - 1] = 42;

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "cam-1", picture)).get();
        }

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "roundtrip");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }

        assertThat(got).hasSize(1);
        assertThat(got.get(0).key()).isEqualTo("cam-1");
        assertThat(got.get(0).value()).hasSize(picture.length).endsWith(42);
    }
}
