package io.segstream.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-frame statistics record (topic frame-stats, and stats.jsonl): identity and timestamps,
 * the model, the pixel fraction of every class, and the stage latencies. See {@link StatsJson}
 * for the JSON form, which is the public contract.
 *
 * @param classFractions class name to the fraction of the frame's pixels, in taxonomy order;
 *                       empty when the mask status is not ok
 * @param driving        the ego corridor figures; empty when the mask status is not ok
 */
public record FrameStats(
        String camera,
        FrameMeta frame,
        String model,
        MaskStatus status,
        Map<String, Double> classFractions,
        Optional<DrivingFigures> driving,
        Latencies latencies) {

    public FrameStats {
        Checks.nonNull("camera frame model status latencies driving", camera, frame, model, status, latencies, driving);
        classFractions = Collections.unmodifiableMap(new LinkedHashMap<>(classFractions));
    }

    /**
     * Stage latencies in milliseconds.
     *
     * @param ingestMs    capture to the frame record's broker timestamp
     * @param segmentMs   frame record to mask record (queueing plus inference)
     * @param inferenceMs time inside the model
     * @param endToEndMs  capture to the statistics being produced
     */
    public record Latencies(double ingestMs, double segmentMs, double inferenceMs, double endToEndMs) {}
}
