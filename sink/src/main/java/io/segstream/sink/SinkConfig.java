package io.segstream.sink;

import io.segstream.protocol.Topics;
import io.segstream.sink.stats.EgoCorridor;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the sink runs.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics           topic names
 * @param applicationId    the Kafka Streams application id all sink instances share
 * @param stateDir         where Kafka Streams keeps its local state
 * @param outputDir        where overlay videos and stats.jsonl go, one directory per camera; empty for none
 * @param overlayAlpha     opacity of the class colours over the frame, 0..1
 * @param corridor         the ego corridor of the driving figures
 */
public record SinkConfig(String bootstrapServers, Topics topics, String applicationId, Path stateDir,
                         Optional<Path> outputDir, double overlayAlpha, EgoCorridor corridor) {

    /** A sink with the default ego corridor. */
    public SinkConfig(String bootstrapServers, Topics topics, String applicationId, Path stateDir,
                      Optional<Path> outputDir, double overlayAlpha) {
        this(bootstrapServers, topics, applicationId, stateDir, outputDir, overlayAlpha, EgoCorridor.DEFAULT);
    }

    public SinkConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(corridor, "corridor");
        if (!(overlayAlpha >= 0 && overlayAlpha <= 1)) {
            throw new IllegalArgumentException("overlay alpha must be within 0..1, got " + overlayAlpha);
        }
    }
}
