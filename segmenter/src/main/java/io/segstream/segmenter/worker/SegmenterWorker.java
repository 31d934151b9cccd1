package io.segstream.segmenter.worker;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.segmenter.model.SegmentationModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segmenter replica: consumes its share of the frames partitions in the consumer group,
 * batches frames across cameras (live cameras' newest frames first, see {@link Turns}), publishes one mask per frame to the same partition of the masks
 * topic, forwards end-of-stream markers after the camera's last mask, and commits offsets only
 * after its masks are acknowledged. A replica that dies leaves its uncommitted frames to the
 * others; the masks they publish again are dropped by the sink's de-duplication.
 */
public final class SegmenterWorker implements Runnable, AutoCloseable {

    /** A partial batch of live frames stops waiting for more when none arrived for this long. */
    static final Duration ARRIVAL_GAP = Duration.ofMillis(5);

    private static final Logger LOG = LoggerFactory.getLogger(SegmenterWorker.class);

    private final SegmenterConfig config;
    private final SegmentationModel model;
    private final SegmenterMetrics metrics;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics consumerMetrics;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** One poll brings up to this many batches' worth of frames, so that a round sees several cameras' newest. */
    static final int POLL_BATCHES = 2;
    /** Records left buffered for later rounds beyond this many batches' worth pause their partitions. */
    static final int BUFFERED_BATCHES = 4;

    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Claimed by run(), or by close() when run() never started: whoever claims it closes the clients. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong masksPublished = new AtomicLong();
    private final FailureLog failures = new FailureLog();
    /** Masks partitions that have this model's description since this replica was assigned them. */
    private final Set<Integer> described = new HashSet<>();
    /** Records polled and not yet answered; those of a partition taken away in a rebalance are dropped. */
    private final List<ConsumerRecord<String, byte[]>> buffered = new ArrayList<>();

    public SegmenterWorker(SegmenterConfig config, SegmentationModel model) {
        this(config, model, SegmenterMetrics.inMemory());
    }

    public SegmenterWorker(SegmenterConfig config, SegmentationModel model, SegmenterMetrics metrics) {
        this(
                config,
                model,
                metrics,
                new KafkaConsumer<>(consumerProps(config), new StringDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(producerProps(config), new StringSerializer(), new ByteArraySerializer()));
    }

    /**
     * A worker on the given clients, which it owns and closes (made with {@link #consumerProps} and
     * {@link #producerProps} for a real cluster): the seam for tests of its batching, commits and
     * rebalances, on Kafka's MockConsumer and MockProducer or on clients that fail on purpose.
     */
    public SegmenterWorker(
            SegmenterConfig config,
            SegmentationModel model,
            SegmenterMetrics metrics,
            Consumer<String, byte[]> consumer,
            Producer<String, byte[]> producer) {
        this.config = config;
        this.model = model;
        this.metrics = metrics;
        this.consumer = consumer;
        this.producer = producer;
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(metrics.registry());
    }

    /** Masks (ok, skipped or failed) published and acknowledged so far. */
    public long masksPublished() {
        return masksPublished.get();
    }

    @Override
    public void run() {
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        try (SegmentationModel.Predictor predictor = model.newPredictor()) {
            int batch = Math.min(config.batchSize(), model.maxBatch());
            Turns turns = new Turns(batch, config.maxAge(), config::segments, BUFFERED_BATCHES * batch);
            FrameBatcher batcher = new FrameBatcher(model, predictor, config, metrics, failures, turns);
            publishDescription();
            consumer.subscribe(List.of(config.topics().frames()), new DropRevoked());
            LOG.info(
                    "Segmenter of group {} running model {} on {}: {} classes from {}; crop {}; frames {} at scale {}; "
                            + "batches of up to {} waiting at most {} ms",
                    config.groupId(),
                    model.id(),
                    model.device(),
                    model.taxonomy().size(),
                    model.info().classSource(),
                    model.description().crop().map(Object::toString).orElse("none"),
                    model.info().fitting().describe(),
                    model.description().scale(),
                    Math.min(config.batchSize(), model.maxBatch()),
                    config.maxWait().toMillis());
            while (running.get()) {
                collect();
                if (buffered.isEmpty()) {
                    continue;
                }
                Round round = turns.plan(buffered);
                List<ConsumerRecord<String, byte[]>> work = round.now();
                buffered.clear();
                buffered.addAll(round.later());
                pauseOnly(round.pause());
                metrics.held(work.size() + buffered.size());
                long t0 = System.nanoTime();
                List<ProducerRecord<String, byte[]>> answers = batcher.answer(round);
                List<Future<RecordMetadata>> sent = new ArrayList<>(answers.size());
                for (ProducerRecord<String, byte[]> a : answers) {
                    if (described.add(a.partition())) {
                        producer.send(descriptionOn(a.partition()));
                    }
                    sent.add(producer.send(a));
                }
                awaitAcknowledged(answers, sent);
                if (batcher.framesRun() > 0) {
                    turns.roundTook(System.nanoTime() - t0, batcher.framesRun());
                }
                commit(work);
                metrics.held(buffered.size());
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            failures.summarise();
            consumerMetrics.close();
            consumer.close();
            producer.close();
            stopped.countDown();
        }
    }

    /** The frames answered with failed masks so far, by cause. */
    public FailureLog failures() {
        return failures;
    }

    /**
     * Polls until a batch's worth of frames is buffered, the oldest has waited the maximum wait, or
     * (when every frame buffered is live) no frame arrived for {@link #ARRIVAL_GAP}. A poll that
     * brings nothing leaves the buffer empty.
     */
    private void collect() {
        long deadline = 0;
        boolean liveOnly = false;
        do {
            long remaining = Math.max(0, deadline - System.nanoTime());
            Duration timeout = buffered.isEmpty()
                    ? config.pollTimeout()
                    : Duration.ofNanos(liveOnly ? Math.min(remaining, ARRIVAL_GAP.toNanos()) : remaining);
            int before = buffered.size();
            consumer.poll(timeout).forEach(buffered::add);
            if (!buffered.isEmpty() && deadline == 0) {
                deadline = System.nanoTime() + config.maxWait().toNanos();
            } else if (liveOnly && buffered.size() == before) {
                return; // live frames: latency beats a fuller batch, so a lone frame does not wait for company
            }
            liveOnly = allLive();
        } while (running.get()
                && !buffered.isEmpty()
                && buffered.size() < config.batchSize()
                && System.nanoTime() < deadline);
    }

    /** Pauses the partitions with frames left for a later round (so they wait in order) and resumes the others. */
    private void pauseOnly(Set<TopicPartition> waiting) {
        Set<TopicPartition> resume = new HashSet<>(consumer.paused());
        resume.removeAll(waiting);
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
        if (!waiting.isEmpty()) {
            consumer.pause(waiting);
        }
    }

    private boolean allLive() {
        for (ConsumerRecord<String, byte[]> r : buffered) {
            try {
                if (WireHeaders.isEndOfStream(r.headers())
                        || !WireHeaders.readFrame(r.headers()).live()) {
                    return false;
                }
            } catch (MalformedRecordException e) {
                return false; // the batcher reports it; it is no reason to hurry
            }
        }
        return true;
    }

    /**
     * Publishes the model's description on the compacted models topic, keyed by model id, for any
     * consumer to learn the model's classes from Kafka alone; waits for the acknowledgement.
     */
    private void publishDescription() {
        String json = ModelDescriptionJson.write(model.description());
        try {
            producer.send(new ProducerRecord<>(
                            config.topics().models(), model.id(), json.getBytes(StandardCharsets.UTF_8)))
                    .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "the description of model " + model.id() + " could not be published on "
                            + config.topics().models() + ": " + e.getMessage(),
                    e);
        }
        LOG.info("Model {} described on {}: {}", model.id(), config.topics().models(), json);
    }

    /**
     * The model's description in-band on a masks partition: sent before the first mask there, it
     * reaches the sink ahead of every mask that needs it.
     */
    private ProducerRecord<String, byte[]> descriptionOn(int partition) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(
                config.topics().masks(),
                partition,
                model.id(),
                ModelDescriptionJson.write(model.description()).getBytes(StandardCharsets.UTF_8));
        WireHeaders.writeModelDescription(r.headers(), model.description());
        return r;
    }

    /** Commits past the answered records, partition by partition. */
    private void commit(List<ConsumerRecord<String, byte[]>> work) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : work) {
            offsets.merge(
                    new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn(
                    "Offsets not committed ({}); another replica will answer these frames again and the sink "
                            + "drops the duplicate masks",
                    e.getMessage());
        }
    }

    /** Drops buffered records of partitions this replica no longer owns: their new owner answers them. */
    private final class DropRevoked implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            buffered.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            LOG.info("Partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            described.clear();
            LOG.info("Partitions assigned: {}", partitions);
        }
    }

    private void awaitAcknowledged(List<ProducerRecord<String, byte[]>> answers, List<Future<RecordMetadata>> sent) {
        try {
            for (int i = 0; i < sent.size(); i++) {
                sent.get(i).get();
                if (!WireHeaders.isEndOfStream(answers.get(i).headers())) {
                    metrics.maskOut(
                            WireHeaders.readMask(answers.get(i).headers()).status());
                }
            }
            masksPublished.addAndGet(sent.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "masks could not be published; their frames stay uncommitted: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Stops the loop and returns once it has finished its current batch and closed its clients,
     * so that the model can be closed safely afterwards.
     */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        running.set(false);
        if (claimed.compareAndSet(false, true)) {
            consumerMetrics.close();
            consumer.close();
            producer.close();
            stopped.countDown();
            return;
        }
        consumer.wakeup();
        try {
            if (!stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The segmenter did not stop within {}", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The consumer's properties: the group, manual commits, from the earliest, the poll's bounds, the config's own last. */
    public static Properties consumerProps(SegmenterConfig c) {
        return KafkaClientProperties.consumer(
                c.bootstrapServers(),
                Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        c.groupId(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        POLL_BATCHES * c.batchSize(),
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        Topics.MAX_RECORD_BYTES),
                c.kafka());
    }

    /** The producer's properties: the pipeline's (one request in flight, ...), the config's own last. */
    public static Properties producerProps(SegmenterConfig c) {
        return KafkaClientProperties.producer(c.bootstrapServers(), KafkaClientProperties.PIPELINE_PRODUCER, c.kafka());
    }
}
