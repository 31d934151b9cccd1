package io.segstream.runtime;

import io.segstream.protocol.TopicSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service needs when they are missing, and refuses to start when an
 * existing topic has a partition count the pipeline cannot work with.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
    private static final int DESCRIBE_ATTEMPTS = 20;

    private TopicCreator() {}

    public static void ensure(Admin admin, Collection<TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = specs.stream()
                    .filter(s -> !existing.contains(s.name()))
                    .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
                    .toList();
            if (!missing.isEmpty()) {
                createIgnoringRaces(admin, missing);
                LOG.info(
                        "Created topics {}",
                        missing.stream().map(NewTopic::name).toList());
            }
            checkPartitions(admin, specs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot create or describe topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Describes the topics, retrying while a topic just created is not yet known to the broker that
     * answers, or has a partition without a leader yet (its metadata propagates a moment after the
     * creation returns).
     */
    private static Map<String, TopicDescription> describe(Admin admin, Collection<TopicSpec> specs)
            throws InterruptedException, ExecutionException {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(names).allTopicNames().get();
                boolean led = described.values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null));
                if (led || attempt >= DESCRIBE_ATTEMPTS) {
                    return described;
                }
                // a producer writing before its partition has a leader gets NOT_LEADER and may send out of order
                LOG.debug("Partitions without a leader yet, retry {} of {}", attempt, DESCRIBE_ATTEMPTS - 1);
                Thread.sleep(100L * attempt);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= DESCRIBE_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Topics not known yet, retry {} of {}", attempt, DESCRIBE_ATTEMPTS - 1);
                Thread.sleep(100L * attempt);
            }
        }
    }

    private static void createIgnoringRaces(Admin admin, List<NewTopic> missing)
            throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * Refuses joined topics (frames and masks) whose partition counts differ: the sink could not join
     * them without a repartition. A topic that exists with another count than asked is used as it is.
     */
    private static void checkPartitions(Admin admin, Collection<TopicSpec> specs)
            throws InterruptedException, ExecutionException {
        Map<String, TopicDescription> described = describe(admin, specs);
        for (TopicSpec s : specs) {
            int actual = described.get(s.name()).partitions().size();
            if (actual != s.partitions()) {
                LOG.info(
                        "Topic {} exists with {} partitions (the {} asked for apply only when creating it)",
                        s.name(),
                        actual,
                        s.partitions());
            }
        }
        List<TopicSpec> joined = specs.stream().filter(TopicSpec::joined).toList();
        Set<Integer> counts = joined.stream()
                .map(s -> described.get(s.name()).partitions().size())
                .collect(Collectors.toSet());
        if (counts.size() > 1) {
            String wrong = joined.stream()
                    .map(s -> s.name() + " has "
                            + described.get(s.name()).partitions().size())
                    .collect(Collectors.joining(", "));
            throw new IllegalStateException("existing topics do not fit the pipeline: " + wrong
                    + " partitions (frames and masks must have the same partition count)");
        }
    }
}
