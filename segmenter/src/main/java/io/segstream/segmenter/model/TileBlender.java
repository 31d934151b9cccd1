package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Size;
import java.util.Arrays;
import java.util.List;

/**
 * Puts overlapping tiles back together without seams. With labels, each pixel keeps the label of
 * the tile in which it lies furthest from an edge (an edge on the picture's border does not count:
 * no tile sees beyond it). With scores, each pixel takes the arg-max of the tiles' scores weighted
 * by that distance: (d / ramp)² up to a quarter of the tile's shorter side in, 1 beyond, so the tile
 * that sees a pixel with most context dominates and its neighbours fade in smoothly.
 */
final class TileBlender {

    private final Size picture;
    private final Fitting.Tiled plan;

    TileBlender(Fitting.Tiled plan) {
        this.picture = plan.scaled();
        this.plan = plan;
    }

    /** How far pixel (x, y) of a tile at {@code o} lies from the tile's nearest inner edge, in pixels (at least 1). */
    private int distance(Fitting.Origin o, int x, int y) {
        Size t = plan.tile();
        int d = Integer.MAX_VALUE;
        if (o.x() > 0) {
            d = Math.min(d, x + 1);
        }
        if (o.y() > 0) {
            d = Math.min(d, y + 1);
        }
        if (o.x() + t.width() < picture.width()) {
            d = Math.min(d, t.width() - x);
        }
        if (o.y() + t.height() < picture.height()) {
            d = Math.min(d, t.height() - y);
        }
        return d;
    }

    LabelMap labels(List<LabelMap> tiles) {
        int w = picture.width();
        int[] source = sources();
        byte[] out = new byte[source.length];
        for (int p = 0; p < out.length; p++) {
            Fitting.Origin o = plan.origins().get(source[p]);
            LabelMap l = tiles.get(source[p]);
            out[p] = l.labels()[(p / w - o.y()) * l.width() + p % w - o.x()];
        }
        return new LabelMap(w, picture.height(), out);
    }

    /** For each pixel of the picture, the tile whose label it keeps: where it lies furthest from an inner edge. */
    int[] sources() {
        int w = picture.width();
        int[] source = new int[Math.toIntExact(picture.pixels())];
        int[] best = new int[source.length];
        for (int i = 0; i < plan.origins().size(); i++) {
            Fitting.Origin o = plan.origins().get(i);
            for (int y = 0; y < plan.tile().height(); y++) {
                for (int x = 0; x < plan.tile().width(); x++) {
                    int p = (o.y() + y) * w + o.x() + x;
                    int d = distance(o, x, y);
                    if (d > best[p]) {
                        best[p] = d;
                        source[p] = i;
                    }
                }
            }
        }
        return source;
    }

    /** Bytes {@link #scores} holds for a picture of {@code classes} classes. */
    static long scoresBytes(Size picture, int classes) {
        return picture.pixels() * classes * Float.BYTES;
    }

    LabelMap scores(List<Scores> tiles) {
        int classes = tiles.get(0).classes();
        int w = picture.width();
        float[] sum = new float[Math.toIntExact(picture.pixels() * classes)];
        int ramp = Math.max(1, Math.min(plan.tile().width(), plan.tile().height()) / 4);
        for (int i = 0; i < tiles.size(); i++) {
            Fitting.Origin o = plan.origins().get(i);
            Scores s = tiles.get(i);
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    float r = Math.min(distance(o, x, y), ramp) / (float) ramp;
                    float weight = r * r;
                    int from = (y * s.width() + x) * classes;
                    int to = ((o.y() + y) * w + o.x() + x) * classes;
                    for (int c = 0; c < classes; c++) {
                        sum[to + c] += weight * s.values()[from + c];
                    }
                }
            }
        }
        return new Scores(w, picture.height(), classes, sum).argMax();
    }

    @Override
    public String toString() {
        return "tiles " + plan.tile() + " at " + Arrays.toString(plan.origins().toArray());
    }
}
