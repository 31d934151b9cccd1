package io.segstream.sink.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.LabelMap;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EgoCorridorTest {

    private static final DrivingGroups CITYSCAPES_GROUPS = DrivingGroups.byDefaultNames(Cityscapes.TAXONOMY);

    /** A 100x100 mask of one class, with rectangles [x0,x1) x [y0,y1) painted on it. */
    private static byte[] mask(int fill) {
        byte[] m = new byte[100 * 100];
        Arrays.fill(m, (byte) fill);
        return m;
    }

    private static void paint(byte[] m, int x0, int x1, int y0, int y1, int label) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * 100 + x] = (byte) label;
            }
        }
    }

    @Test
    void shouldMeasureDrivableRoadAndTheNearestObstacleRowsInARectangularCorridor() {
        // a rectangle: x in [25,75), y in [50,100): 2500 pixels
        EgoCorridor corridor = new EgoCorridor(0.5, 0.5, 0.5);
        byte[] m = mask(Cityscapes.ROAD);
        paint(m, 40, 60, 60, 70, Cityscapes.CAR); // 200 pixels inside, lowest row 69
        paint(m, 0, 10, 80, 90, Cityscapes.PERSON); // outside the corridor
        paint(m, 70, 80, 90, 95, Cityscapes.BICYCLE); // x 70..74 inside, lowest row 94
        paint(m, 45, 55, 10, 20, Cityscapes.TRUCK); // above the corridor

        DrivingFigures d = corridor.measure(new LabelMap(100, 100, m), CITYSCAPES_GROUPS);

        assertThat(d.drivable()).isCloseTo((2500 - 200 - 25) / 2500.0, within(1e-12));
        assertThat(d.obstacles().keySet()).containsExactly("vehicles", "persons", "twoWheelers");
        assertThat(d.obstacles().get("vehicles")).isEqualTo(new DrivingFigures.Obstacle(true, Optional.of(0.70)));
        assertThat(d.obstacles().get("persons")).isEqualTo(DrivingFigures.Obstacle.ABSENT);
        assertThat(d.obstacles().get("twoWheelers")).isEqualTo(new DrivingFigures.Obstacle(true, Optional.of(0.95)));
    }

    @Test
    void shouldNarrowTheTrapezoidTowardsItsTop() {
        // top at half height, 0.8 wide at the bottom, 0 wide at the top: a triangle
        EgoCorridor corridor = new EgoCorridor(0.5, 0.8, 0.0);
        byte[] m = mask(Cityscapes.SIDEWALK);
        paint(m, 0, 100, 50, 52, Cityscapes.ROAD); // the two rows under the apex: almost no corridor there

        long inside = 0;
        long roadInside = 0;
        for (int y = 50; y < 100; y++) {
            double t = ((y + 0.5) / 100 - 0.5) / 0.5;
            for (int x = 0; x < 100; x++) {
                if (Math.abs((x + 0.5) / 100 - 0.5) <= 0.4 * t) {
                    inside++;
                    roadInside += y < 52 ? 1 : 0;
                }
            }
        }
        DrivingFigures d = corridor.measure(new LabelMap(100, 100, m), CITYSCAPES_GROUPS);

        assertThat(inside).isBetween(1900L, 2100L);
        assertThat(d.drivable()).isCloseTo(roadInside / (double) inside, within(1e-12));
        assertThat(d.drivable()).isLessThan(0.01);
    }

    @Test
    void shouldRefuseACorridorOutsideTheImage() {
        assertThatThrownBy(() -> new EgoCorridor(1.0, 0.5, 0.1))
                .hasMessageStartingWith("ego corridor: top must be in [0,1)");
        assertThatThrownBy(() -> new EgoCorridor(0.5, 0, 0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
