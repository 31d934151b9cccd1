package io.segstream.sink.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.Topics;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.Partitions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras of a fleet's cameras topic as the live view lists them, those no ingest instance has
 * picked up included: each camera's source and mode, read from the whole topic (no consumer group)
 * and kept up to date. Only what the view shows is kept, bounded: at most {@link #MAX_CAMERAS}
 * cameras, a source shown with at most 200 characters; records that are no camera are left out (the
 * ingest instances say why).
 */
public final class DeclaredCameras implements AutoCloseable {

    /** A camera of the topic: its source as written (shortened) and its mode, when given. */
    public record Declared(String camera, String source, String mode) {}

    static final int MAX_CAMERAS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeclaredCameras.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Declared> cameras = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    public DeclaredCameras(String bootstrapServers, Map<String, String> kafka, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(
                KafkaClientProperties.consumer(
                        bootstrapServers, Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), kafka),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "view-cameras");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The cameras of the topic now, by id. */
    public List<Declared> cameras() {
        return List.copyOf(new TreeMap<>(cameras).values());
    }

    private void run() {
        try {
            // no fleet yet: the topic appears when the first camera is added
            while (!closed.get() && Partitions.fromBeginning(consumer, topic).isEmpty()) {
                Thread.sleep(10_000);
            }
            while (!closed.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    read(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The live view cannot read the cameras topic {}: {}", topic, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void read(ConsumerRecord<String, byte[]> r) {
        String id = r.key();
        if (!CameraId.valid(id)) {
            return;
        }
        if (r.value() == null) {
            cameras.remove(id);
            return;
        }
        if (r.value().length > Topics.MAX_CAMERA_RECORD_BYTES
                || (cameras.size() >= MAX_CAMERAS && !cameras.containsKey(id))) {
            return;
        }
        try {
            JsonNode v = JSON.readTree(r.value());
            if (v == null || !v.isObject() || !v.path("source").isTextual()) {
                cameras.remove(id);
                return;
            }
            String source = v.get("source").asText();
            cameras.put(
                    id,
                    new Declared(
                            id,
                            source.length() > 200 ? source.substring(0, 200) + "..." : source,
                            v.path("mode").isTextual() && v.get("mode").asText().matches("live|recorded")
                                    ? v.get("mode").asText()
                                    : ""));
        } catch (IOException e) {
            cameras.remove(id);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            consumer.wakeup();
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
