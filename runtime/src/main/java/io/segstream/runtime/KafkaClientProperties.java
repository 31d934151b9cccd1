package io.segstream.runtime;

import io.segstream.protocol.Topics;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place Kafka client properties are assembled: the bootstrap servers, then the client's own
 * settings, then the user's {@code --kafka-property} values that this kind of client knows
 * (security settings reach every client, a session timeout only consumers). The user's values are
 * applied last, so they win; a value no client knows is left out here rather than logged as unknown
 * by each client.
 */
public final class KafkaClientProperties {

    /** The kinds of client, each with the property names it knows. */
    public enum Client {
        PRODUCER(ProducerConfig.configNames()),
        CONSUMER(ConsumerConfig.configNames()),
        ADMIN(AdminClientConfig.configNames()),
        /** Kafka Streams takes every value: it passes prefixed and client properties to its own clients. */
        STREAMS(null);

        private final Set<String> known;

        Client(Set<String> known) {
            this.known = known;
        }

        boolean knows(String key) {
            return known == null || known.contains(key);
        }
    }

    /**
     * What every producer of the pipeline's records sets: acknowledged by all in-sync replicas,
     * idempotent (a retry writes no duplicate), records up to {@link Topics#MAX_RECORD_BYTES}, 5 ms linger,
     * and one request in flight per broker. With more than one, a partition the broker has not opened
     * yet (a topic created a moment ago: every quick start, every new prefix) can refuse the first
     * request as NOT_LEADER while it accepts the second; the first is then refused as out of order
     * until the delivery timeout, two minutes later, fails it: its frames are lost (KAFKA-15591,
     * fixed after Kafka 4.3.1).
     */
    public static final Map<String, Object> PIPELINE_PRODUCER = Map.of(
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Topics.MAX_RECORD_BYTES,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            1);

    private KafkaClientProperties() {}

    /**
     * @param own the client's own settings (acks, group, limits ...)
     * @param user the user's properties, applied last where {@code client} knows them
     */
    public static Properties of(Client client, String bootstrapServers, Map<String, ?> own, Map<String, String> user) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(own);
        user.forEach((k, v) -> {
            if (client.knows(k)) {
                p.put(k, v);
            }
        });
        return p;
    }

    public static Properties producer(String bootstrapServers, Map<String, ?> own, Map<String, String> user) {
        return of(Client.PRODUCER, bootstrapServers, own, user);
    }

    public static Properties consumer(String bootstrapServers, Map<String, ?> own, Map<String, String> user) {
        return of(Client.CONSUMER, bootstrapServers, own, user);
    }

    public static Properties admin(String bootstrapServers, Map<String, ?> own, Map<String, String> user) {
        return of(Client.ADMIN, bootstrapServers, own, user);
    }

    public static Properties streams(String bootstrapServers, Map<String, ?> own, Map<String, String> user) {
        return of(Client.STREAMS, bootstrapServers, own, user);
    }
}
