package io.segstream.segmenter.worker;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.segmenter.model.SegmentationModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One segmenter replica: consumes its share of the frames partitions in the consumer group,
 * publishes one mask per frame to the same partition of the masks topic, forwards end-of-stream
 * markers after the camera's last mask, and commits offsets only after its masks are acknowledged.
 */
public final class SegmenterWorker implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmenterWorker.class);

    private final SegmenterConfig config;
    private final SegmentationModel model;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Claimed by run(), or by close() when run() never started: whoever claims it closes the clients. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong masksPublished = new AtomicLong();

    public SegmenterWorker(SegmenterConfig config, SegmentationModel model) {
        this.config = config;
        this.model = model;
        this.consumer = new KafkaConsumer<>(consumerProps(config), new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProps(config), new StringSerializer(), new ByteArraySerializer());
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
        Topics topics = config.topics();
        try (SegmentationModel.Predictor predictor = model.newPredictor()) {
            FrameSegmenter segmenter = new FrameSegmenter(predictor);
            consumer.subscribe(List.of(topics.frames()));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                if (records.isEmpty()) {
                    continue;
                }
                List<Future<RecordMetadata>> sent = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    ProducerRecord<String, byte[]> mask = answer(record, segmenter);
                    if (mask != null) {
                        sent.add(producer.send(mask));
                    }
                }
                awaitAcknowledged(sent);
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close();
            producer.close();
            stopped.countDown();
        }
    }

    private ProducerRecord<String, byte[]> answer(ConsumerRecord<String, byte[]> frame, FrameSegmenter segmenter) {
        MDC.put("camera", frame.key());
        try {
            if (WireHeaders.isEndOfStream(frame.headers())) {
                LOG.info("End of stream {} forwarded after its last mask", WireHeaders.readEndOfStream(frame.headers()));
                return new ProducerRecord<>(config.topics().masks(), frame.partition(), frame.key(), new byte[0], frame.headers());
            }
            FrameMeta meta = WireHeaders.readFrame(frame.headers());
            MaskResult result = segmenter.segment(frame.value(), meta.sequence());
            ProducerRecord<String, byte[]> out = new ProducerRecord<>(config.topics().masks(), frame.partition(), frame.key(), result.png());
            WireHeaders.writeMask(out.headers(), new MaskMeta(meta, model.id(), result.inferenceMicros(), result.status()));
            return out;
        } catch (MalformedRecordException e) {
            LOG.error("Frame record at {}-{}@{} is not in the wire format and gets no mask: {}",
                    frame.topic(), frame.partition(), frame.offset(), e.getMessage());
            return null;
        } finally {
            MDC.remove("camera");
        }
    }

    private void awaitAcknowledged(List<Future<RecordMetadata>> sent) {
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
            masksPublished.addAndGet(sent.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            throw new IllegalStateException("masks could not be published; their frames stay uncommitted: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Stops the loop and returns once it has finished its current batch and closed its clients,
     * so that the model can be closed safely afterwards.
     */
    @Override
    public void close() {
        running.set(false);
        if (claimed.compareAndSet(false, true)) {
            consumer.close();
            producer.close();
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

    private static Properties consumerProps(SegmenterConfig c) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, c.maxPollRecords());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        return p;
    }

    private static Properties producerProps(SegmenterConfig c) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }
}
