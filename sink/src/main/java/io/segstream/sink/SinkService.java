package io.segstream.sink;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.segstream.protocol.Topics;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.sink.config.SinkConfig;
import io.segstream.sink.topology.CommitBarrier;
import io.segstream.sink.topology.SinkTopology;
import io.segstream.sink.view.Instances;
import io.segstream.sink.view.LiveBoard;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the sink topology with exactly-once processing; {@link #close()} stops it. */
public final class SinkService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);

    private final KafkaStreams streams;
    private final Optional<String> applicationServer;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public SinkService(SinkConfig config) {
        this(config, Optional.empty(), Optional.empty());
    }

    /**
     * @param board             the live view's board, fed with every frame; none: no view
     * @param applicationServer {@code host:port} of this instance's live view, which the other instances
     *                          learn through Kafka Streams' metadata ({@code application.server})
     */
    public SinkService(SinkConfig config, Optional<LiveBoard> board, Optional<String> applicationServer) {
        this.applicationServer = applicationServer;
        Properties props = streamsProps(config);
        applicationServer.ifPresent(a -> props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, a));
        CommitBarrier barrier = new CommitBarrier();
        this.streams = new KafkaStreams(
                SinkTopology.build(config, board, barrier), props, new CommittingClientSupplier(barrier));
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
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

    /** Why the sink stopped, when a stream thread failed: the cause under Kafka Streams' wrapping. */
    public Optional<String> failure() {
        Throwable e = failure.get();
        while (e instanceof StreamsException && e.getCause() != null) {
            e = e.getCause();
        }
        return Optional.ofNullable(e).map(t -> t.getMessage() == null ? t.toString() : t.getMessage());
    }

    /** Called with each new state; set before {@link #start()}. */
    public void onStateChange(Consumer<KafkaStreams.State> listener) {
        streams.setStateListener((newState, oldState) -> listener.accept(newState));
    }

    /** Kafka Streams' own metrics (process rates, lag, commit latency), to bind to a meter registry. */
    public KafkaStreamsMetrics metrics() {
        return new KafkaStreamsMetrics(streams);
    }

    /**
     * The instances of this application as Kafka Streams' metadata knows them (through their
     * {@code application.server}): which one holds a camera's partition, and the others' base URLs.
     */
    public Instances instances() {
        if (applicationServer.isEmpty()) {
            return Instances.ALONE;
        }
        String self = applicationServer.get();
        return new Instances() {
            @Override
            public Optional<String> elsewhere(String camera) {
                KeyQueryMetadata md = streams.queryMetadataForKey(
                        SinkTopology.CAMERA_KEYED_STORE, camera, Serdes.String().serializer());
                if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost() == null) {
                    return Optional.empty();
                }
                String owner = md.activeHost().host() + ":" + md.activeHost().port();
                return owner.equals(self) ? Optional.empty() : Optional.of("http://" + owner);
            }

            @Override
            public List<String> others() {
                return streams.metadataForAllStreamsClients().stream()
                        .map(StreamsMetadata::hostInfo)
                        .map(h -> h.host() + ":" + h.port())
                        .filter(a -> !a.equals(self))
                        .distinct()
                        .sorted()
                        .map(a -> "http://" + a)
                        .toList();
            }
        };
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
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OutputRecordErrors.class);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_RECORD_BYTES);
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Topics.MAX_RECORD_BYTES);
        return KafkaClientProperties.streams(c.bootstrapServers(), p, c.kafka());
    }
}
