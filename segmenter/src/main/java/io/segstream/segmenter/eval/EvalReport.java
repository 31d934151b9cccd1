package io.segstream.segmenter.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Accuracy of a model on labelled frames.
 *
 * @param frames        frames evaluated
 * @param pixelAccuracy correct pixels over pixels not ignored
 * @param meanIoU       mean of the IoUs below
 * @param classIoU      IoU per class present in the ground truth, in class order
 */
public record EvalReport(int frames, double pixelAccuracy, double meanIoU, Map<String, Double> classIoU) {

    public EvalReport {
        classIoU = Collections.unmodifiableMap(new LinkedHashMap<>(classIoU));
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d frames, pixel accuracy %.4f, mIoU %.4f over %d classes",
                frames,
                pixelAccuracy,
                meanIoU,
                classIoU.size());
    }
}
