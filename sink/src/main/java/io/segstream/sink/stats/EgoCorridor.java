package io.segstream.sink.stats;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.LabelMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ego corridor: a trapezoid ahead of the vehicle, centred on the image, from the bottom edge up
 * to {@code top} (a fraction of the image height from the top), {@code bottomWidth} wide at the
 * bottom and {@code topWidth} wide at the top (fractions of the image width). A pixel is in it when
 * its centre is.
 */
public record EgoCorridor(double top, double bottomWidth, double topWidth) {

    /** The obstacle groups of the driving figures, by Cityscapes class. */
    public static final Map<String, List<Integer>> GROUPS = groups();

    /** Where the road ahead is in a forward-facing dash camera: from 55 % of the height down, 60 % wide at the bottom. */
    public static final EgoCorridor DEFAULT = new EgoCorridor(0.55, 0.6, 0.1);

    public EgoCorridor {
        if (!(top >= 0 && top < 1) || !(bottomWidth > 0 && bottomWidth <= 1) || !(topWidth >= 0 && topWidth <= 1)) {
            throw new IllegalArgumentException("ego corridor: top must be in [0,1), widths in (0,1], got top " + top
                    + ", bottom width " + bottomWidth + ", top width " + topWidth);
        }
    }

    private static Map<String, List<Integer>> groups() {
        Map<String, List<Integer>> g = new LinkedHashMap<>();
        g.put("vehicles", List.of(Cityscapes.CAR, Cityscapes.TRUCK, Cityscapes.BUS, Cityscapes.TRAIN));
        g.put("persons", List.of(Cityscapes.PERSON, Cityscapes.RIDER));
        g.put("twoWheelers", List.of(Cityscapes.MOTORCYCLE, Cityscapes.BICYCLE));
        return java.util.Collections.unmodifiableMap(g);
    }

    /** The corridor's figures on a Cityscapes mask. */
    public DrivingFigures measure(LabelMap mask) {
        int w = mask.width();
        int h = mask.height();
        int[] groupOf = new int[256];
        java.util.Arrays.fill(groupOf, -1);
        List<String> names = List.copyOf(GROUPS.keySet());
        for (int g = 0; g < names.size(); g++) {
            for (int id : GROUPS.get(names.get(g))) {
                groupOf[id] = g;
            }
        }
        int[] lowest = new int[names.size()];
        java.util.Arrays.fill(lowest, -1);
        long inside = 0;
        long road = 0;
        for (int y = 0; y < h; y++) {
            double cy = (y + 0.5) / h;
            if (cy < top) {
                continue;
            }
            double t = (cy - top) / (1 - top);
            double half = (topWidth + (bottomWidth - topWidth) * t) / 2;
            for (int x = 0; x < w; x++) {
                double cx = (x + 0.5) / w;
                if (Math.abs(cx - 0.5) > half) {
                    continue;
                }
                inside++;
                int label = mask.labels()[y * w + x] & 0xFF;
                if (label == Cityscapes.ROAD) {
                    road++;
                }
                int g = groupOf[label];
                if (g >= 0) {
                    lowest[g] = y;
                }
            }
        }
        Map<String, DrivingFigures.Obstacle> obstacles = new LinkedHashMap<>();
        for (int g = 0; g < names.size(); g++) {
            obstacles.put(names.get(g), lowest[g] < 0 ? DrivingFigures.Obstacle.ABSENT
                    : new DrivingFigures.Obstacle(true, Optional.of((lowest[g] + 1) / (double) h)));
        }
        return new DrivingFigures(inside == 0 ? 0 : road / (double) inside, obstacles);
    }
}
