package io.segstream.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a frame says about the road ahead, measured in the ego corridor (a trapezoid ahead of the
 * vehicle, configured in the sink).
 *
 * @param drivable  fraction of the corridor's pixels that are road
 * @param obstacles per obstacle group ({@code vehicles}, {@code persons}, {@code twoWheelers}), in that order
 */
public record DrivingFigures(double drivable, Map<String, Obstacle> obstacles) {

    public DrivingFigures {
        obstacles = Collections.unmodifiableMap(new LinkedHashMap<>(obstacles));
    }

    /**
     * One obstacle group in the corridor.
     *
     * @param nearestRow when present, the lowest image row the group reaches inside the corridor, as
     *                   a fraction of the image height: (row + 1) / height, so 1.0 touches the bottom edge
     *                   (nearest to the vehicle)
     */
    public record Obstacle(boolean present, Optional<Double> nearestRow) {

        public static final Obstacle ABSENT = new Obstacle(false, Optional.empty());
    }
}
