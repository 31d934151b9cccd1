package io.segstream.app;

import io.segstream.protocol.Topics;
import io.segstream.runtime.ClusterSettings;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.Setting;
import io.segstream.runtime.TopicCreator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The Kafka cluster a service works on, and the topics it creates there when they are missing. */
@Command
final class ClusterOptions implements TakesSettings {

    /** Retention of frames and masks in topics the services create. */
    static final Duration FRAME_RETENTION = Duration.ofHours(24);

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    String topicPrefix = "";
    int partitions = ClusterSettings.PARTITIONS.defaultOrFail();
    short replicationFactor = ClusterSettings.REPLICATION_FACTOR.defaultOrFail();

    @Mixin
    KafkaClientOptions client;

    /** The Kafka client properties of every client of this service: --kafka-config's, then --kafka-property's. */
    Map<String, String> kafka() {
        return client.properties();
    }

    /**
     * The sink's Kafka Streams properties: its internal topics (changelogs) with the topics'
     * replication factor and, from 3 copies on, 2 in sync; then the client properties over them.
     */
    Map<String, String> streamsKafka() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("replication.factor", Short.toString(replicationFactor));
        if (replicationFactor >= 3) {
            out.put("topic.min.insync.replicas", "2");
        }
        out.putAll(kafka());
        return out;
    }

    /** Adds each problem with the options, naming the option. */
    @Override
    public List<Setting<?>> settings() {
        return List.of(ClusterSettings.TOPIC_PREFIX, ClusterSettings.PARTITIONS, ClusterSettings.REPLICATION_FACTOR);
    }

    void validate(List<String> problems) {
        SettingValues values = new SettingValues(command, problems);
        topicPrefix = values.find(ClusterSettings.TOPIC_PREFIX).orElse("");
        partitions = values.get(ClusterSettings.PARTITIONS);
        replicationFactor = values.get(ClusterSettings.REPLICATION_FACTOR);
        client.validate(problems);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("--bootstrap-servers (or SEGSTREAM_BOOTSTRAP_SERVERS) is required");
        }
    }

    /**
     * A name under the topic prefix: the defaults of the sink's application id and the segmenters'
     * group, so that pipelines with different prefixes on one cluster share nothing.
     */
    String prefixed(String name) {
        return topicPrefix + name;
    }

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /**
     * Creates the cameras topic when it is missing.
     *
     * @return 0, or 2 after printing why the cluster refused
     */
    int ensureCamerasTopic(String command) {
        try (Admin admin = Admin.create(KafkaClientProperties.admin(
                bootstrapServers, Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000), kafka()))) {
            TopicCreator.ensure(admin, List.of(topics().camerasSpec(replicationFactor)));
            return ExitCode.OK.code();
        } catch (KafkaException | IllegalStateException e) {
            System.err.println("segstream " + command + ": cannot create the cameras topic on " + bootstrapServers
                    + ": " + e.getMessage());
            return ExitCode.REFUSED.code();
        }
    }

    /**
     * Creates the topics that are missing (existing ones are kept as they are).
     *
     * @return 0, or 2 after printing why the cluster refused
     */
    int ensureTopics(String command) {
        try (Admin admin = Admin.create(KafkaClientProperties.admin(
                bootstrapServers, Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000), kafka()))) {
            TopicCreator.ensure(admin, topics().specs(partitions, replicationFactor, FRAME_RETENTION));
            return ExitCode.OK.code();
        } catch (KafkaException | IllegalStateException e) {
            System.err.println("segstream " + command + ": cannot create the topics on " + bootstrapServers + ": "
                    + e.getMessage());
            return ExitCode.REFUSED.code();
        }
    }
}
