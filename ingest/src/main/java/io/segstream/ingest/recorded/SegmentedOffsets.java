package io.segstream.ingest.recorded;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the segmenters have got: the offsets their consumer group has committed on the frames
 * topic, which they commit only once the masks are acknowledged. Read through Kafka's admin API at
 * most every {@code refresh}, shared by all cameras of the process.
 */
public final class SegmentedOffsets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedOffsets.class);

    private final Admin admin;
    private final String group;
    private final Duration refresh;
    private Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    private long readAtNanos;
    private boolean warned;

    public SegmentedOffsets(String bootstrapServers, String group, Duration refresh) {
        this(bootstrapServers, group, refresh, java.util.Map.of());
    }

    /** @param kafka further admin client properties (security, ...); others are ignored */
    public SegmentedOffsets(String bootstrapServers, String group, Duration refresh, java.util.Map<String, String> kafka) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "segstream-ingest-lag");
        kafka.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        this.admin = Admin.create(p);
        this.group = group;
        this.refresh = refresh;
    }

    public String group() {
        return group;
    }

    /** The next offset the segmenters will process on {@code partition}; 0 when they have committed none. */
    public synchronized long next(TopicPartition partition) throws InterruptedException {
        long now = System.nanoTime();
        if (readAtNanos == 0 || now - readAtNanos >= refresh.toNanos()) {
            readAtNanos = now;
            try {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                warned = false;
            } catch (ExecutionException | TimeoutException e) {
                if (!warned) {
                    LOG.warn("Cannot read the offsets of consumer group {} ({}); holding frames back until it answers",
                            group, e.getMessage());
                    warned = true;
                }
            }
        }
        OffsetAndMetadata o = committed.get(partition);
        return o == null ? 0 : o.offset();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
