package io.segstream.ingest.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The ingest process's meters, per camera, in one registry (a Prometheus one when served over HTTP). */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Map<String, CameraMetrics> cameras = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters kept in memory only, for embedded runs and tests. */
    public static IngestMetrics inMemory() {
        return new IngestMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public CameraMetrics camera(String id) {
        return cameras.computeIfAbsent(id, c -> new CameraMetrics(registry, c));
    }
}
