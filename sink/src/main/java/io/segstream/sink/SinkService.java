package io.segstream.sink;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.segstream.protocol.KafkaClientProperties;
import io.segstream.protocol.Topics;
import io.segstream.sink.topology.SinkTopology;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the sink topology with exactly-once processing; {@link #close()} stops it. */
public final class SinkService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);

    private final KafkaStreams streams;

    public SinkService(SinkConfig config) {
        this.streams = new KafkaStreams(SinkTopology.build(config), streamsProps(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Sink stream thread failed: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Called with each new state; set before {@link #start()}. */
    public void onStateChange(Consumer<KafkaStreams.State> listener) {
        streams.setStateListener((newState, oldState) -> listener.accept(newState));
    }

    /** Kafka Streams' own metrics (process rates, lag, commit latency), to bind to a meter registry. */
    public KafkaStreamsMetrics metrics() {
        return new KafkaStreamsMetrics(streams);
    }

    @Override
    public void close() {
        // Leave the group at once, so that another instance takes the partitions over without waiting for
        // the session timeout (Kafka Streams otherwise stays a member until then).
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    static Properties streamsProps(SinkConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_RECORD_BYTES);
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Topics.MAX_RECORD_BYTES);
        return KafkaClientProperties.streams(c.bootstrapServers(), p, c.kafka());
    }
}
