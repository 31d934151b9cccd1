package io.segstream.ingest.delivery;

import io.segstream.runtime.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * How far the segmenters have got: the offsets their consumer groups have committed on the frames
 * topic, which they commit only once the masks are acknowledged; with several groups (each
 * segmenting some cameras with its own model) the least of them. Read through Kafka's admin API at
 * most every {@code refresh}, shared by all cameras of the process.
 */
public final class SegmentedOffsets implements Segmented, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedOffsets.class);

    private final Admin admin;
    private final List<String> groups;
    private final Duration refresh;
    private List<Map<TopicPartition, OffsetAndMetadata>> committed = List.of();
    private long readAtNanos;
    private boolean warned;
    private boolean refreshing;

    public SegmentedOffsets(String bootstrapServers, String group, Duration refresh) {
        this(bootstrapServers, List.of(group), refresh, Map.of());
    }

    /** @param kafka further admin client properties (security, ...); others are ignored */
    public SegmentedOffsets(String bootstrapServers, List<String> groups, Duration refresh, Map<String, String> kafka) {
        this.admin = Admin.create(KafkaClientProperties.admin(
                bootstrapServers, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "segstream-ingest-lag"), kafka));
        this.groups = List.copyOf(groups);
        this.refresh = refresh;
    }

    @Override
    public List<String> groups() {
        return groups;
    }

    /**
     * As {@link #next}, but never waits for the cluster: a due refresh is started on a thread of its
     * own and the offsets known now are answered (a live camera's sender must not block on Kafka).
     */
    @Override
    public long nextKnown(TopicPartition partition) {
        synchronized (this) {
            long now = System.nanoTime();
            if (!refreshing && (readAtNanos == 0 || now - readAtNanos >= refresh.toNanos())) {
                refreshing = true;
                Thread t = new Thread(
                        () -> {
                            try {
                                next(partition);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                synchronized (this) {
                                    refreshing = false;
                                }
                            }
                        },
                        "ingest-segmented-offsets");
                t.setDaemon(true);
                t.start();
            }
            return least(partition);
        }
    }

    /** The next offset the segmenters will process on {@code partition}; 0 when they have committed none. */
    @Override
    public synchronized long next(TopicPartition partition) throws InterruptedException {
        long now = System.nanoTime();
        if (readAtNanos == 0 || now - readAtNanos >= refresh.toNanos()) {
            readAtNanos = now;
            try {
                List<Map<TopicPartition, OffsetAndMetadata>> read = new ArrayList<>(groups.size());
                for (String group : groups) {
                    read.add(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS));
                }
                committed = read;
                warned = false;
            } catch (ExecutionException | TimeoutException e) {
                if (!warned) {
                    LOG.warn(
                            "Cannot read the offsets of consumer groups {} ({}); holding frames back until they answer",
                            groups,
                            e.getMessage());
                    warned = true;
                }
            }
        }
        return least(partition);
    }

    private synchronized long least(TopicPartition partition) {
        if (committed.isEmpty()) {
            return 0;
        }
        long least = Long.MAX_VALUE;
        for (Map<TopicPartition, OffsetAndMetadata> group : committed) {
            OffsetAndMetadata o = group.get(partition);
            least = Math.min(least, o == null ? 0 : o.offset());
        }
        return least;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
