package io.segstream.sink.stats;

import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.LabelMap;
import java.math.BigDecimal;
import java.util.Arrays;
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

    /** Where the road ahead is in a forward-facing dash camera: from 55 % of the height down, 60 % wide at the bottom. */
    public static final EgoCorridor DEFAULT = new EgoCorridor(0.55, 0.6, 0.1);

    public EgoCorridor {
        if (!(top >= 0 && top < 1) || !(bottomWidth > 0 && bottomWidth <= 1) || !(topWidth >= 0 && topWidth <= 1)) {
            throw new IllegalArgumentException("ego corridor: top must be in [0,1), widths in (0,1], got top " + top
                    + ", bottom width " + bottomWidth + ", top width " + topWidth);
        }
    }

    /** A corridor as written in options, {@code TOP,BOTTOM_WIDTH,TOP_WIDTH}; an IllegalArgumentException says why not. */
    public static EgoCorridor parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("needs three numbers separated by commas, got '" + text + "'");
        }
        try {
            return new EgoCorridor(
                    Double.parseDouble(parts[0].trim()),
                    Double.parseDouble(parts[1].trim()),
                    Double.parseDouble(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
    }

    /** As written in options: {@code TOP,BOTTOM_WIDTH,TOP_WIDTH}. */
    public String text() {
        return strip(top) + "," + strip(bottomWidth) + "," + strip(topWidth);
    }

    private static String strip(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The obstacle groups of the driving figures, in the order frame-stats gives them. */
    private static final List<String> OBSTACLES = List.of("vehicles", "persons", "twoWheelers");

    /** The corridor's figures on a mask of a model whose classes fall into {@code groups}. */
    public DrivingFigures measure(LabelMap mask, DrivingGroups groups) {
        int w = mask.width();
        int h = mask.height();
        int[] groupOf = new int[256];
        Arrays.fill(groupOf, -1);
        boolean[] drivable = new boolean[256];
        groups.drivable().forEach(id -> drivable[id] = true);
        List<String> names = OBSTACLES;
        for (int g = 0; g < names.size(); g++) {
            for (int id : groups.get(names.get(g))) {
                groupOf[id] = g;
            }
        }
        int[] lowest = new int[names.size()];
        Arrays.fill(lowest, -1);
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
                if (drivable[label]) {
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
            obstacles.put(
                    names.get(g),
                    lowest[g] < 0
                            ? DrivingFigures.Obstacle.ABSENT
                            : new DrivingFigures.Obstacle(true, Optional.of((lowest[g] + 1) / (double) h)));
        }
        return new DrivingFigures(inside == 0 ? 0 : road / (double) inside, obstacles);
    }
}
