package io.segstream.app;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.Partitions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the frame-stats topic (committed records only) to show progress, frames done of total
 * per camera, and to tell when each session's end-of-stream has gone through every stage.
 */
final class ProgressWatcher implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final PrintStream out;
    private final Map<String, long[]> doneAndTotal = new TreeMap<>();
    /** Per camera, frames through the sink by mask status. */
    private final Map<String, Map<MaskStatus, Long>> outcomes = new TreeMap<>();

    private final Set<UUID> ended = new HashSet<>();
    private long lastPrint;

    ProgressWatcher(String bootstrapServers, Map<String, String> kafka, Topics topics, PrintStream out) {
        this.consumer = new KafkaConsumer<>(
                KafkaClientProperties.consumer(
                        bootstrapServers,
                        Map.of(
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                        kafka),
                new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = Partitions.of(consumer, topics.frameStats());
        this.consumer.assign(partitions);
        this.consumer.seekToBeginning(partitions);
        this.out = out;
    }

    /** Polls and prints progress while {@code running} holds. */
    void follow(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            consumer.poll(Duration.ofMillis(250)).forEach(this::track);
            print(false);
        }
    }

    /**
     * Polls until every session in {@code sessions} has ended, or {@code stillWaiting} turns false,
     * or nothing has moved for {@code stallTimeout}; returns whether all ended.
     */
    boolean awaitEnd(Set<UUID> sessions, BooleanSupplier stillWaiting, Duration stallTimeout) {
        long lastMove = System.nanoTime();
        while (!ended.containsAll(sessions) && stillWaiting.getAsBoolean()) {
            int n = 0;
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                track(r);
                n++;
            }
            if (n > 0) {
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > stallTimeout.toNanos()) {
                print(true);
                return false;
            }
            print(false);
        }
        print(true);
        return ended.containsAll(sessions);
    }

    private void track(ConsumerRecord<String, String> r) {
        if (WireHeaders.isEndOfStream(r.headers())) {
            ended.add(WireHeaders.readEndOfStream(r.headers()).session());
            return;
        }
        MaskMeta m = WireHeaders.readMask(r.headers());
        FrameMeta f = m.frame();
        outcomes.computeIfAbsent(r.key(), k -> new EnumMap<>(MaskStatus.class)).merge(m.status(), 1L, Long::sum);
        long[] dt = doneAndTotal.computeIfAbsent(r.key(), k -> new long[2]);
        dt[0]++;
        dt[1] = f.lengthHint();
    }

    /** Frames that came through the sink, by mask status, over every camera. */
    Map<MaskStatus, Long> outcomes() {
        Map<MaskStatus, Long> all = new EnumMap<>(MaskStatus.class);
        outcomes.values().forEach(o -> o.forEach((status, n) -> all.merge(status, n, Long::sum)));
        return all;
    }

    private void print(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastPrint < 1_000_000_000L || doneAndTotal.isEmpty()) {
            return;
        }
        lastPrint = now;
        StringBuilder line = new StringBuilder("progress:");
        doneAndTotal.forEach((camera, dt) -> line.append(' ')
                .append(camera)
                .append(' ')
                .append(dt[0])
                .append(
                        dt[1] > 0
                                ? String.format(Locale.ROOT, "/%d frames (%.0f%%)", dt[1], 100.0 * dt[0] / dt[1])
                                : " frames"));
        out.println(line);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
