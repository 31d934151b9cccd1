package io.segstream.segmenter.eval;

import io.segstream.protocol.LabelMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts predicted against true classes over the pixels whose ground truth is a class compared
 * (not ignored, and some model class maps onto it). The prediction is a label map of the model's
 * classes at the ground truth's size; {@link ClassMatch} maps it into the ground truth's.
 */
public final class Confusion {

    private final LabelFormat format;
    private final ClassMatch match;
    private final long[][] counts;
    private int frames;

    public Confusion(ClassMatch match) {
        this.match = match;
        this.format = match.format();
        int n = format.classes().size();
        this.counts = new long[n][n + 1];
    }

    /** Adds a frame. {@code truth} holds the format's class ids (the ignore value for pixels left out). */
    public void add(LabelMap prediction, LabelMap truth) {
        if (prediction.width() != truth.width() || prediction.height() != truth.height()) {
            throw new IllegalArgumentException("prediction " + prediction.width() + "x" + prediction.height()
                    + " and ground truth " + truth.width() + "x" + truth.height() + " differ in size");
        }
        int n = format.classes().size();
        byte[] p = prediction.labels();
        byte[] t = truth.labels();
        for (int i = 0; i < t.length; i++) {
            int gt = t[i] & 0xFF;
            if (gt >= n || !match.compared(gt)) {
                continue;
            }
            int pred = match.truth(p[i]);
            counts[gt][pred < 0 || pred >= n ? n : pred]++;
        }
        frames++;
    }

    /** Pixel accuracy, and IoU per class present in the ground truth, and their mean. */
    public EvalReport report() {
        int n = format.classes().size();
        long correct = 0;
        long total = 0;
        long[] predicted = new long[n];
        for (int gt = 0; gt < n; gt++) {
            for (int p = 0; p <= n; p++) {
                total += counts[gt][p];
                if (p < n) {
                    predicted[p] += counts[gt][p];
                }
            }
            correct += counts[gt][gt];
        }
        Map<String, Double> iou = new LinkedHashMap<>();
        double sum = 0;
        for (int c = 0; c < n; c++) {
            long truthPixels = 0;
            for (int p = 0; p <= n; p++) {
                truthPixels += counts[c][p];
            }
            if (truthPixels == 0) {
                continue;
            }
            long tp = counts[c][c];
            double value = tp / (double) (truthPixels + predicted[c] - tp);
            iou.put(format.classes().get(c), value);
            sum += value;
        }
        return new EvalReport(
                frames, total == 0 ? 0 : correct / (double) total, iou.isEmpty() ? 0 : sum / iou.size(), iou);
    }
}
