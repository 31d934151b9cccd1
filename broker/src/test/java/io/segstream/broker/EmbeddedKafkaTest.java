package io.segstream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration") // the broker module cannot use testkit's @IntegrationTest: testkit depends on it
class EmbeddedKafkaTest {

    @Test
    void shouldServeOnLoopbackAndRemoveItsLogDirectoryOnClose() throws Exception {
        Path logDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            logDir = kafka.logDir();
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(logDir).isDirectory();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(Set.of(new NewTopic("t", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                assertThat(admin.describeTopics(Set.of("t"))
                                .allTopicNames()
                                .get()
                                .get("t")
                                .partitions())
                        .hasSize(3);
            }
        }
        assertThat(Files.exists(logDir)).isFalse();
    }
}
