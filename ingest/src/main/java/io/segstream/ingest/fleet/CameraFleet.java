package io.segstream.ingest.fleet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.Resume;
import io.segstream.ingest.config.CameraRecords;
import io.segstream.ingest.config.CameraSettings;
import io.segstream.ingest.config.ConfigException;
import io.segstream.ingest.config.MediaRoots;
import io.segstream.protocol.CameraId;
import io.segstream.runtime.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras of an ingest instance that shares a fleet: it consumes the compacted cameras topic in a
 * consumer group with the fleet's other instances, so each partition of that topic, and with it its
 * cameras, belongs to one instance at a time and moves when an instance joins, leaves or dies. For the
 * partitions it owns it reads the whole topic partition (the current value of every camera), then
 * starts each camera, restarts one whose record changes (a new session) and stops one that is removed
 * (with its end of stream). A partition taken away stops its cameras: a live camera ends its session,
 * a recorded input is handed over, and the instance that gets it goes on after the last frame that
 * reached the frames topic, in the same session.
 *
 * <p>A record that is not a camera (bad JSON, an unknown key, a bad id, too large, a source this
 * instance may not read) is refused in one line naming the camera and why; nothing is started for
 * it and the other cameras are untouched.
 */
public final class CameraFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraFleet.class);
    private static final Duration POLL = Duration.ofMillis(250);

    /**
     * How this instance joins the fleet.
     *
     * @param group          the consumer group of the fleet's ingest instances
     * @param instance       this instance's name (its client id): what {@code segstream cameras list} shows as owner
     * @param sessionTimeout how long the group waits for a silent instance before its cameras move
     * @param mediaRoots     where cameras of the topic may read local files
     */
    public record Settings(String group, String instance, Duration sessionTimeout, MediaRoots mediaRoots) {}

    /** A camera record as this instance holds it: valid ({@code settings}) or refused ({@code problem}). */
    private record Entry(String id, TopicPartition partition, long offset, CameraSettings settings, String problem) {}

    private final Ingest ingest;
    private final Settings settings;
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final FramesTail tail;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();
    private final Set<TopicPartition> owned = new HashSet<>();
    private final Map<String, Entry> desired = new HashMap<>();
    private final Map<String, Entry> applied = new HashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final Counter rebalances;
    private final Counter refusals;

    public CameraFleet(Ingest ingest, Settings settings, MeterRegistry registry) {
        this.ingest = ingest;
        this.settings = settings;
        this.topic = ingest.config().topics().cameras();
        long session = settings.sessionTimeout().toMillis();
        this.consumer = new KafkaConsumer<>(
                KafkaClientProperties.consumer(
                        ingest.config().bootstrapServers(),
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG,
                                settings.group(),
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                settings.instance(),
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                                (int) session,
                                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                                (int) Math.max(100, session / 4),
                                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                CooperativeStickyAssignor.class.getName()),
                        ingest.config().kafka()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        this.tail = new FramesTail(
                ingest.config().bootstrapServers(),
                ingest.config().kafka(),
                ingest.config().topics().frames());
        this.rebalances = Counter.builder("segstream.ingest.fleet.rebalances")
                .description("Rebalances of the cameras topic's partitions that changed this instance's cameras")
                .register(registry);
        this.refusals = Counter.builder("segstream.ingest.fleet.refused")
                .description("Camera records refused (not a valid camera, or a source not allowed here)")
                .register(registry);
        registry.gauge("segstream.ingest.fleet.cameras", running);
        this.thread = new Thread(this::run, "ingest-cameras");
        this.thread.setDaemon(true);
    }

    /** Joins the fleet: from now on this instance runs the cameras the group gives it. */
    public void start() {
        LOG.info(
                "Instance {} joins the fleet: group {}, cameras topic {}, session timeout {} ms",
                settings.instance(),
                settings.group(),
                topic,
                settings.sessionTimeout().toMillis());
        consumer.subscribe(List.of(topic), new Rebalance());
        thread.start();
    }

    /** The cameras refused here, by id: why. */
    public Map<String, String> refused() {
        return Map.copyOf(refused);
    }

    private void run() {
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    read(r);
                }
                caughtUp();
                apply();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The cameras topic {} cannot be read: {}; this instance runs no cameras", topic, e.toString());
        } finally {
            stopAll(applied.keySet(), false);
            consumer.close(Duration.ofSeconds(10));
            tail.close();
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        String key = r.key();
        if (r.value() == null) {
            if (key != null) {
                desired.remove(key);
            }
            return;
        }
        try {
            CameraSettings camera = CameraRecords.decode(key, r.value());
            desired.put(key, new Entry(key, tp, r.offset(), camera, null));
        } catch (ConfigException e) {
            String problem = String.join("; ", e.problems());
            if (CameraId.valid(key)) {
                desired.put(key, new Entry(key, tp, r.offset(), null, problem));
            } else if (!catchingUp.containsKey(tp)) {
                refuse(CameraId.quote(key), tp, r.offset(), problem);
            }
        }
    }

    private void caughtUp() {
        for (TopicPartition tp : List.copyOf(catchingUp.keySet())) {
            if (consumer.position(tp) >= catchingUp.get(tp)) {
                catchingUp.remove(tp);
                owned.add(tp);
            }
        }
    }

    /** Brings the running cameras of the partitions read to their end in line with the topic. */
    private void apply() {
        Set<String> started = new TreeSet<>();
        for (Entry e : List.copyOf(desired.values())) {
            if (!owned.contains(e.partition())) {
                continue;
            }
            Entry now = applied.get(e.id());
            if (now != null && now.offset() == e.offset()) {
                continue;
            }
            if (now != null) {
                LOG.info("Camera {} changed (cameras offset {}): restarting it in a new session", e.id(), e.offset());
                stop(e.id(), true);
            }
            applied.put(e.id(), e);
            if (start(e)) {
                started.add(e.id());
            }
        }
        for (Entry e : List.copyOf(applied.values())) {
            if (owned.contains(e.partition()) && !desired.containsKey(e.id())) {
                LOG.info("Camera {} removed: stopping it", e.id());
                stop(e.id(), true);
                applied.remove(e.id());
                refused.remove(e.id());
            }
        }
        if (!started.isEmpty()) {
            LOG.info("Cameras started here: {}", started);
        }
        running.set(ingest.cameraIds().size());
    }

    private boolean start(Entry e) {
        if (e.settings() == null) {
            refuse(e.id(), e.partition(), e.offset(), e.problem());
            return false;
        }
        List<String> problems = new ArrayList<>();
        Optional<CameraSpec> spec = e.settings().bind("camera " + e.id(), problems);
        if (spec.isEmpty()) {
            refuse(e.id(), e.partition(), e.offset(), String.join("; ", problems));
            return false;
        }
        Optional<String> notAllowed = settings.mediaRoots().refusal(spec.get().source());
        if (notAllowed.isPresent()) {
            refuse(e.id(), e.partition(), e.offset(), notAllowed.get());
            return false;
        }
        try {
            Resume resume = resume(spec.get(), e);
            if (resume == null) {
                return false;
            }
            ingest.start(spec.get(), resume);
            refused.remove(e.id());
            return true;
        } catch (IllegalArgumentException | IllegalStateException x) {
            refuse(e.id(), e.partition(), e.offset(), x.getMessage());
            return false;
        }
    }

    /**
     * Where a recorded input starts: its session is named by its record (partition and offset), so
     * whichever instance reads it uses the same one; it goes on after the last frame of that session on
     * the frames topic, and is not read again when that session has ended. Null: nothing to do.
     */
    private Resume resume(CameraSpec spec, Entry e) {
        if (spec.live()) {
            return Resume.fresh();
        }
        UUID session = UUID.nameUUIDFromBytes(
                ("segstream camera " + topic + "/" + e.partition().partition() + "@" + e.offset())
                        .getBytes(StandardCharsets.UTF_8));
        Optional<FramesTail.Last> last = tail.last(spec.id());
        if (last.isEmpty() || !last.get().session().equals(session)) {
            return new Resume(session, 0);
        }
        if (last.get().ended()) {
            LOG.info(
                    "Camera {}: {} was read to its end already (session {}, {} frames); not read again",
                    spec.id(),
                    spec.input(),
                    session,
                    last.get().sequence() + 1);
            return null;
        }
        LOG.info(
                "Camera {}: taking over {} in session {} after frame {}",
                spec.id(),
                spec.input(),
                session,
                last.get().sequence());
        return new Resume(session, last.get().sequence() + 1);
    }

    private void refuse(String id, TopicPartition tp, long offset, String problem) {
        refusals.increment();
        refused.put(id, problem);
        LOG.error(
                "segstream ingest: camera {} (cameras partition {}, offset {}) not started: {}",
                id,
                tp.partition(),
                offset,
                problem);
    }

    private void stop(String id, boolean end) {
        ingest.stop(id, end);
    }

    private void stopAll(Collection<String> ids, boolean end) {
        List.copyOf(ids).parallelStream().forEach(id -> stop(id, end));
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            rebalances.increment();
            consumer.seekToBeginning(partitions);
            catchingUp.putAll(consumer.endOffsets(partitions));
            LOG.info("Rebalance: cameras partitions gained {}", numbers(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lose(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(partitions, "lost");
        }

        private void lose(Collection<TopicPartition> partitions, String how) {
            if (partitions.isEmpty()) {
                return;
            }
            rebalances.increment();
            Set<String> lost = new TreeSet<>();
            Set<String> running = ingest.cameraIds();
            for (Entry e : List.copyOf(applied.values())) {
                if (partitions.contains(e.partition())) {
                    if (running.contains(e.id())) {
                        lost.add(e.id());
                    }
                    applied.remove(e.id());
                    refused.remove(e.id());
                }
            }
            stopAll(lost, false);
            desired.values().removeIf(e -> partitions.contains(e.partition()));
            partitions.forEach(tp -> {
                owned.remove(tp);
                catchingUp.remove(tp);
            });
            CameraFleet.this.running.set(ingest.cameraIds().size());
            LOG.info("Rebalance: cameras partitions {} {}, cameras handed over: {}", how, numbers(partitions), lost);
        }

        private List<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).sorted().toList();
        }
    }

    /** Leaves the fleet: stops this instance's cameras (handing recorded inputs over), then leaves the group. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
