package io.segstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.protocol.Topics;
import io.segstream.runtime.TopicCreator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

@KafkaIntegrationTest
class TopicCreatorIntegrationTest {

    @Test
    void shouldUseExistingTopicsWithTheirOwnPartitionCountButRefuseFramesAndMasksThatDiffer(KafkaBroker kafka)
            throws Exception {
        Topics fits = Topics.withPrefix(TestTopics.uniquePrefix("fits"));
        Topics differs = Topics.withPrefix(TestTopics.uniquePrefix("differs"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(fits.frames(), 4, (short) 1),
                            new NewTopic(fits.masks(), 4, (short) 1),
                            new NewTopic(differs.frames(), 2, (short) 1),
                            new NewTopic(differs.masks(), 3, (short) 1)))
                    .all()
                    .get();

            TopicCreator.ensure(admin, fits.specs(1, (short) 1, Duration.ofHours(1)));
            assertThat(admin.describeTopics(List.of(fits.frameStats()))
                            .allTopicNames()
                            .get()
                            .get(fits.frameStats())
                            .partitions())
                    .as("a missing topic is created as asked")
                    .hasSize(1);
            assertThatThrownBy(() -> TopicCreator.ensure(admin, differs.specs(2, (short) 1, Duration.ofHours(1))))
                    .hasMessage("existing topics do not fit the pipeline: " + differs.frames() + " has 2, "
                            + differs.masks()
                            + " has 3 partitions (frames and masks must have the same partition count)");
        }
    }
}
