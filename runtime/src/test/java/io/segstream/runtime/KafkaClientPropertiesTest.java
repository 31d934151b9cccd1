package io.segstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final Map<String, String> USER = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "session.timeout.ms", "20000",
            "linger.ms", "50",
            "no.such.property", "x");

    @Test
    void securityPropertiesReachEveryKindOfClient() {
        for (KafkaClientProperties.Client client : KafkaClientProperties.Client.values()) {
            Properties p = KafkaClientProperties.of(client, "h:9092", Map.of(), USER);
            assertThat(p)
                    .as(client.name())
                    .containsEntry("bootstrap.servers", "h:9092")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
    }

    @Test
    void eachClientGetsOnlyWhatItKnows() {
        Properties consumer = KafkaClientProperties.consumer("h:9092", Map.of(), USER);
        Properties producer = KafkaClientProperties.producer("h:9092", Map.of(), USER);
        Properties admin = KafkaClientProperties.admin("h:9092", Map.of(), USER);
        assertThat(consumer)
                .containsEntry("session.timeout.ms", "20000")
                .doesNotContainKeys("linger.ms", "no.such.property");
        assertThat(producer)
                .containsEntry("linger.ms", "50")
                .doesNotContainKeys("session.timeout.ms", "no.such.property");
        assertThat(admin).doesNotContainKeys("session.timeout.ms", "linger.ms", "no.such.property");
        // Kafka Streams hands client properties on to its own clients, so it gets them all.
        assertThat(KafkaClientProperties.streams("h:9092", Map.of(), USER))
                .containsKeys("linger.ms", "session.timeout.ms");
    }

    @Test
    void theUsersValueWinsOverTheClientsOwn() {
        Properties p = KafkaClientProperties.producer("h:9092", Map.of("linger.ms", 5, "acks", "all"), USER);
        assertThat(p).containsEntry("linger.ms", "50").containsEntry("acks", "all");
    }
}
