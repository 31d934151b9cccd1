package io.segstream.app.shadow;

import io.segstream.protocol.DrivingFigures;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.LabelMap;
import io.segstream.sink.stats.EgoCorridor;

/**
 * One frame's masks from production and from the candidate, compared on the classes both map to
 * ({@link ClassMapping}). Per production class id: pixels both give it ({@code intersection}),
 * either gives it ({@code union}), production gives it, the candidate gives it (mapped). The driving
 * figures are each model's own, in its own groups.
 *
 * @param pixels       pixels in the frame
 * @param compared     pixels both models put in a compared class
 * @param agreeing     compared pixels given the same class
 */
record FrameComparison(
        long pixels,
        long compared,
        long agreeing,
        long[] intersection,
        long[] union,
        long[] production,
        long[] candidate,
        DrivingFigures productionDriving,
        DrivingFigures candidateDriving) {

    static FrameComparison of(
            LabelMap prod,
            LabelMap cand,
            ClassMapping mapping,
            EgoCorridor corridor,
            DrivingGroups productionGroups,
            DrivingGroups candidateGroups) {
        if (prod.width() != cand.width() || prod.height() != cand.height()) {
            throw new IllegalArgumentException("masks of one frame differ in size: " + prod.width() + "x"
                    + prod.height() + " and " + cand.width() + "x" + cand.height());
        }
        int n = mapping.productionClasses();
        long[] inter = new long[n];
        long[] union = new long[n];
        long[] pc = new long[n];
        long[] cc = new long[n];
        long compared = 0;
        long agreeing = 0;
        byte[] p = prod.labels();
        byte[] c = cand.labels();
        for (int i = 0; i < p.length; i++) {
            int pl = p[i] & 0xFF;
            int cl = mapping.production(c[i] & 0xFF);
            boolean pIn = pl < n;
            if (pIn) {
                pc[pl]++;
            }
            if (cl >= 0) {
                cc[cl]++;
            }
            if (!pIn || cl < 0 || !mapping.compared(pl)) {
                continue;
            }
            compared++;
            if (pl == cl) {
                agreeing++;
                inter[pl]++;
                union[pl]++;
            } else {
                union[pl]++;
                union[cl]++;
            }
        }
        return new FrameComparison(
                p.length,
                compared,
                agreeing,
                inter,
                union,
                pc,
                cc,
                corridor.measure(prod, productionGroups),
                corridor.measure(cand, candidateGroups));
    }

    /** Compared pixels given the same class; 1 when none were compared. */
    double agreement() {
        return compared == 0 ? 1 : agreeing / (double) compared;
    }
}
